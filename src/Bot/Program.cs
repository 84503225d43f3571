using RapidResponse.Bot.Admin;
using RapidResponse.Bot.Cases;
using RapidResponse.Bot.Charts;
using RapidResponse.Bot.CountyConsole;
using RapidResponse.Bot.Conversations;
using RapidResponse.Bot.GoLive;
using RapidResponse.Bot.Health;
using RapidResponse.Bot.Hosting;
using RapidResponse.Bot.Import;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Metrics;
using RapidResponse.Bot.Outbox;
using RapidResponse.Bot.Persistence;
using RapidResponse.Bot.Sandbox;
using RapidResponse.Scheduler;

var builder = WebApplication.CreateBuilder(args);
builder.UseDemoDatabase(args);
builder.AddBotDatabase();
builder.AddCases();
builder.AddConversations();
builder.AddPrivacy();
builder.AddChannels();
builder.AddGoLive();
builder.AddHealth();
builder.AddMetrics();
builder.Services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);
builder.AddConsole();
builder.AddCharts(); // before AddScheduler: the bulletins paint their pictures with it
builder.AddSandbox(); // after AddCases: in sandbox mode it replaces the clock with the movable sandbox clock
if (args is not ["import", ..] and not ["bulletin", ..] and not ["wecom", ..]) builder.AddScheduler();

var app = builder.Build();
await app.Services.MigrateDatabaseAsync();
await app.Services.LoadHolidayYearsAsync();
if (args is ["import", ..]) return await ImportCommand.RunAsync(app.Services, args);
if (args is ["bulletin", ..]) return await BulletinCommand.RunAsync(app.Services, args);
if (args is ["demo", ..]) return await DemoCommand.RunAsync(app.Services, args);
if (args is ["wecom", ..]) return await WeComCommand.RunAsync(app.Services, args);

app.MapHealth();
app.MapMetrics();
app.MapChannels();
app.MapSandbox();
app.MapConsole();
if (AdminAuth.IsEnabled(app.Configuration))
    app.MapAdminGroup("/api").MapCaseEndpoints().MapEvidenceEndpoints().MapDepartmentListEndpoints().MapImportEndpoints().MapScoreEventEndpoints().MapInterviewEndpoints().MapOutboxEndpoints().MapInboxEndpoints().MapStaffEndpoints();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
