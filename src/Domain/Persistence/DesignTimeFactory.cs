using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RapidResponse.Domain.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without the host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<BotDb>
{
    public BotDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BotDb>().UseSqlite("Data Source=design.db").Options);
}
