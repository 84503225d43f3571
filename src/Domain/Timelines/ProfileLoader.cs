using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RapidResponse.Domain.Cases;

namespace RapidResponse.Domain.Timelines;

/// <summary>A profile file that cannot be used; <see cref="Problems"/> lists every problem found, not just the first.</summary>
public sealed class InvalidProfileException(string source, IReadOnlyList<string> problems)
    : Exception($"Timeline profile '{source}' is invalid:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads timeline profiles from JSON (format: docs/timeline-profiles.md). Built-in names: yunlong, fengdu.
/// </summary>
public static class ProfileLoader
{
    public static IReadOnlyList<string> BuiltInNames => ["yunlong", "fengdu"];

    /// <summary>A built-in profile by name, or a profile file by path.</summary>
    public static TimelineProfile Load(string nameOrPath)
    {
        if (BuiltInNames.Contains(nameOrPath, StringComparer.OrdinalIgnoreCase))
        {
            var asm = typeof(ProfileLoader).Assembly;
            using var s = asm.GetManifestResourceStream($"profiles.{nameOrPath.ToLowerInvariant()}.json")!;
            using var r = new StreamReader(s);
            return Parse(r.ReadToEnd(), nameOrPath);
        }
        if (!File.Exists(nameOrPath))
            throw new InvalidProfileException(nameOrPath, [$"no built-in profile of that name ({string.Join(", ", BuiltInNames)}) and no such file"]);
        return Parse(File.ReadAllText(nameOrPath), nameOrPath);
    }

    public static TimelineProfile Parse(string json, string source)
    {
        var p = new List<string>();
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                   ?? throw new InvalidProfileException(source, ["the file is not a JSON object"]);
        }
        catch (JsonException e) { throw new InvalidProfileException(source, [$"not valid JSON: {e.Message}"]); }

        UnknownKeys(root, RootKeys, "", p);
        var name = Str(root, "name", p, required: true) ?? "";
        var version = Int(root, "version", p) ?? 0;
        if (version < 1) p.Add("'version' must be a positive integer");
        var title = Str(root, "title", p) ?? name;
        var prefix = Str(root, "casePrefix", p, required: true) ?? "";
        if (prefix.Length is < 1 or > 6 || !prefix.All(char.IsAsciiLetterUpper)) p.Add("'casePrefix' must be 1–6 upper-case letters, e.g. \"YL\"");
        var closing = Time(root, "officeClosing", p) ?? new TimeOnly(17, 30);
        var hoursNode = Obj(root, "workingHours", p, "");
        if (hoursNode is not null) UnknownKeys(hoursNode, HoursKeys, "workingHours.", p);
        var hours = new WorkingHours(
            Time(hoursNode, "start", p, "workingHours.") ?? new TimeOnly(8, 30),
            Time(hoursNode, "end", p, "workingHours.") ?? new TimeOnly(17, 30),
            Time(hoursNode, "dueMorningNagAt", p, "workingHours.") ?? new TimeOnly(8, 30));
        if (hours.Start >= hours.End) p.Add("'workingHours.start' must be before 'workingHours.end'");
        else if (hours.DueMorningNagAt < hours.Start || hours.DueMorningNagAt >= hours.End)
            p.Add("'workingHours.dueMorningNagAt' must lie inside working hours (start ≤ dueMorningNagAt < end)");
        var defaultLadder = Obj(root, "defaultLadder", p, "") is { } dl ? Ladder(dl, "defaultLadder", p) : EscalationLadder.Default;

        var stages = new List<StageDefinition>();
        if (root["stages"] is not JsonArray arr || arr.Count == 0) p.Add("'stages' must be a non-empty array");
        else
        {
            for (var i = 0; i < arr.Count; i++)
            {
                var where = $"stages[{i}]";
                if (arr[i] is not JsonObject s) { p.Add($"{where} must be an object"); continue; }
                UnknownKeys(s, StageKeys, where + ".", p);
                var kind = EnumOf<StageKind>(s, "kind", p, where);
                var actor = EnumOf<StageActor>(s, "actor", p, where);
                var deadline = Deadline(s, "deadline", p, where) ?? DeadlineRule.None;
                var active = s.ContainsKey("activeScreeningDeadline") ? Deadline(s, "activeScreeningDeadline", p, where) : null;
                var ladder = Obj(s, "ladder", p, where + ".") is { } l ? Ladder(l, where + ".ladder", p) : deadline.Kind == DeadlineKind.None ? EscalationLadder.Silent : defaultLadder;
                var assignees = Int(s, "assignees", p, where + ".") ?? 1;
                if (assignees is < 1 or > 5) p.Add($"{where}.assignees must be 1–5");
                var stageName = Str(s, "name", p, required: true, where + ".") ?? "";
                var notice = s.ContainsKey("notice") ? Deadline(s, "notice", p, where) : null;
                if (notice is { Kind: DeadlineKind.None }) notice = null;
                var when = Str(s, "when", p, prefix: where + ".");
                if (when is not null and not ("serious" or "countyFound"))
                    p.Add($"{where}.when: '{when}' is not known (\"serious\": kept only for cases marked 严重; \"countyFound\": only for warnings the county found itself — department lists, 信访, 舆情 — and in place of intake)");
                if (i == 0 && kind is { } first && first != StageKind.Intake) p.Add("the first stage must be 'intake'");
                var byClass = Obj(s, "byProblemClass", p, where + ".") is { } bc ? ByProblemClass(bc, where, p) : null;
                if (kind is { } k && actor is { } a)
                    stages.Add(new StageDefinition(k, stageName, a, deadline, ladder, assignees, Str(s, "action", p, prefix: where + "."), active,
                        Str(s, "source", p, prefix: where + "."), notice, when == "serious", when == "countyFound", byClass));
            }
            foreach (var dup in stages.GroupBy(s => s.Kind).Where(g => g.Count() > 1))
                p.Add($"stage '{Camel(dup.Key)}' appears {dup.Count()} times");
        }

        var order = new List<StageKind>();
        if (root["activeScreeningOrder"] is JsonArray ord)
        {
            foreach (var n in ord)
            {
                var v = AsString(n) ?? n?.ToJsonString() ?? "null";
                if (TryEnum<StageKind>(v, out var k) && stages.Any(s => s.Kind == k))
                {
                    if (order.Contains(k)) p.Add($"activeScreeningOrder: '{v}' appears more than once");
                    else order.Add(k);
                }
                else p.Add($"activeScreeningOrder: '{v}' is not a stage of this profile");
            }
            if (ord.Count > 0 && order.Count > 0 && order[0] != StageKind.Intake) p.Add("activeScreeningOrder must start with 'intake'");
        }
        else if (root["activeScreeningOrder"] is not null) p.Add("'activeScreeningOrder' must be an array of stage kinds, e.g. [\"intake\", \"householdCheck\"]");
        var show = Bool(root, "showRankings", p, "") ?? true;
        var maxContact = Int(root, "maxHouseholdsPerContact", p) ?? 5;
        if (maxContact < 1) p.Add("'maxHouseholdsPerContact' must be at least 1");
        var source2 = Str(root, "source", p);
        var window = Obj(root, "eliminationWindow", p, "") is { } w ? Window(w, p) : null;
        var byCategory = Obj(root, "trackingByCategory", p, "") is { } tc ? TrackingByCategory(tc, p) : null;
        var measures = root.ContainsKey("measuresWithin") ? Deadline(root, "measuresWithin", p, "") : null;
        if (measures is { Kind: DeadlineKind.None }) measures = null;
        if (byCategory is { Count: > 0 } && stages.All(x => x.Kind != StageKind.Tracking)) p.Add("'trackingByCategory' needs a 'tracking' stage");
        var cadence = Bulletins.BulletinCadence.Monthly;
        if (Str(root, "bulletinCadence", p) is { } cad && !(TryEnum(cad, out cadence)))
            p.Add($"'bulletinCadence': '{cad}' is not one of monthly, bimonthly");
        var threshold = Int(root, "interviewThreshold", p) ?? 3;
        if (threshold < 1) p.Add("'interviewThreshold' must be at least 1 (problems in one 通报 period that list a unit for 约谈)");
        if (p.Count > 0) throw new InvalidProfileException(source, p);
        return new TimelineProfile(name, version, title, prefix, closing, hours, stages, order, show, maxContact, source2, window, byCategory, measures)
        {
            BulletinCadence = cadence, InterviewThreshold = threshold,
        };
    }

    private static EliminationWindow Window(JsonObject o, List<string> p)
    {
        UnknownKeys(o, WindowKeys, "eliminationWindow.", p);
        var months = new List<int>();
        if (o["months"] is JsonArray ma)
            foreach (var n in ma)
            {
                if (n is JsonValue jv && jv.TryGetValue<int>(out var m) && m is >= 1 and <= 12 && !months.Contains(m)) months.Add(m);
                else p.Add($"eliminationWindow.months: {n?.ToJsonString() ?? "null"} must be a month 1–12, each once");
            }
        else if (o["months"] is not null) p.Add("eliminationWindow.months must be an array of months, e.g. [1, 4, 7, 10]");
        var last = Int(o, "lastDays", p, "eliminationWindow.");
        if (last is < 1 or > 28) p.Add("eliminationWindow.lastDays must be 1–28");
        return new EliminationWindow(months, last, Str(o, "source", p, prefix: "eliminationWindow."));
    }

    // 丰都 第五步: “一般性问题在15日内、疑难问题半年内、特殊问题一年内” — e.g. { "difficult": "6m", "special": "12m" }; 一般 is the stage's deadline.
    private static Dictionary<ProblemClass, DeadlineRule> ByProblemClass(JsonObject o, string where, List<string> p)
    {
        var map = new Dictionary<ProblemClass, DeadlineRule>();
        foreach (var (key, _) in o)
        {
            if (!TryEnum<ProblemClass>(key, out var cls))
            { p.Add($"{where}.byProblemClass: '{key}' is not one of general, difficult, special"); continue; }
            if (Deadline(o, key, p, where + ".byProblemClass") is { Kind: not DeadlineKind.None } r) map[cls] = r;
        }
        return map;
    }

    private static Dictionary<Roster.HouseholdCategory, DeadlineRule> TrackingByCategory(JsonObject o, List<string> p)
    {
        var map = new Dictionary<Roster.HouseholdCategory, DeadlineRule>();
        foreach (var (key, node) in o)
        {
            if (!TryEnum<Roster.HouseholdCategory>(key, out var cat))
            { p.Add($"trackingByCategory: '{key}' is not one of {string.Join(", ", Enum.GetValues<Roster.HouseholdCategory>().Select(x => Camel(x)))}"); continue; }
            if (Deadline(o, key, p, "trackingByCategory") is { Kind: not DeadlineKind.None } r) map[cat] = r;
        }
        return map;
    }

    /// <summary>Parses "none", "sameDay", "monthEnd", "2wd", "5d", "1m", "48h".</summary>
    public static bool TryParseDeadline(string text, out DeadlineRule rule)
    {
        rule = DeadlineRule.None;
        var t = text.Trim();
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        if (t.Equals("monthEnd", StringComparison.OrdinalIgnoreCase)) { rule = new(DeadlineKind.MonthEnd); return true; }
        if (t.Equals("sameDay", StringComparison.OrdinalIgnoreCase)) { rule = new(DeadlineKind.SameDay); return true; }
        (string suffix, DeadlineKind kind)[] units = [("wd", DeadlineKind.WorkingDays), ("d", DeadlineKind.CalendarDays), ("m", DeadlineKind.Months), ("h", DeadlineKind.Hours)];
        foreach (var (suffix, kind) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                int.TryParse(t.AsSpan(0, t.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 366)
            { rule = new(kind, n); return true; }
        }
        return false;
    }

    private static EscalationLadder Ladder(JsonObject o, string where, List<string> p)
    {
        UnknownKeys(o, LadderKeys, where + ".", p);
        var nags = new List<double>();
        if (o["nagAt"] is JsonArray na)
        {
            if (na.Count > 2) p.Add($"{where}.nagAt: at most two nag fractions (50% and 75% by default)");
            foreach (var n in na)
            {
                double? f = n is JsonValue jv && jv.TryGetValue<double>(out var d) ? d : null;
                if (f is not { } x || x is <= 0 or >= 1) p.Add($"{where}.nagAt: {n?.ToJsonString() ?? "null"} must be a fraction between 0 and 1, e.g. 0.5");
                else if (nags.Count > 0 && x <= nags[^1]) p.Add($"{where}.nagAt must be in increasing order");
                else nags.Add(x);
            }
        }
        else if (o["nagAt"] is not null) p.Add($"{where}.nagAt must be an array of fractions, e.g. [0.5, 0.75]");
        var levels = new List<EscalationLevel>();
        if (o["levels"] is JsonArray la)
            foreach (var n in la)
            {
                if (n is not JsonObject l) { p.Add($"{where}.levels: each level must be an object"); continue; }
                UnknownKeys(l, LevelKeys, where + ".levels.", p);
                var level = Int(l, "level", p, where + ".levels.") ?? 0;
                var after = Int(l, "afterWorkingDays", p, where + ".levels.") ?? 0;
                var target = EnumOf<EscalationTarget>(l, "target", p, where + ".levels");
                if (level is < 1 or > 3) p.Add($"{where}.levels: level must be 1, 2 or 3");
                if (after < 0) p.Add($"{where}.levels: afterWorkingDays must not be negative");
                if (target is { } t) levels.Add(new EscalationLevel(level, after, t));
            }
        else if (o["levels"] is not null) p.Add($"{where}.levels must be an array of levels");
        for (var i = 1; i < levels.Count; i++)
        {
            if (levels[i].Level <= levels[i - 1].Level) p.Add($"{where}.levels must list levels 1, 2, 3 once each, in order");
            if (levels[i].AfterWorkingDays < levels[i - 1].AfterWorkingDays) p.Add($"{where}.levels must be in increasing afterWorkingDays");
        }
        return new EscalationLadder(nags, Bool(o, "nagOnDueMorning", p, where + ".") ?? true, levels);
    }

    private static DeadlineRule? Deadline(JsonObject o, string key, List<string> p, string where)
    {
        var node = o[key];
        if (node is null) { p.Add($"{where}.{key} is missing (e.g. \"sameDay\", \"2wd\", \"1m\", \"none\")"); return null; }
        if (AsString(node) is not { } v) { p.Add($"{where}.{key}: {node.ToJsonString()} must be a string such as \"2wd\""); return null; }
        if (TryParseDeadline(v, out var r)) return r;
        p.Add($"{where}.{key}: '{v}' is not a deadline (use none, sameDay, monthEnd, Nwd, Nd, Nm or Nh)");
        return null;
    }

    private static readonly string[] RootKeys =
        ["name", "version", "title", "casePrefix", "source", "officeClosing", "workingHours", "showRankings", "maxHouseholdsPerContact", "defaultLadder", "stages", "activeScreeningOrder",
         "eliminationWindow", "trackingByCategory", "measuresWithin", "bulletinCadence", "interviewThreshold"];
    private static readonly string[] WindowKeys = ["months", "lastDays", "source"];
    private static readonly string[] HoursKeys = ["start", "end", "dueMorningNagAt"];
    private static readonly string[] StageKeys = ["kind", "name", "actor", "assignees", "deadline", "activeScreeningDeadline", "ladder", "action", "source", "notice", "when", "byProblemClass"];
    private static readonly string[] LadderKeys = ["nagAt", "nagOnDueMorning", "levels"];
    private static readonly string[] LevelKeys = ["level", "afterWorkingDays", "target"];

    // A misspelt key would otherwise be silently ignored and its default used.
    private static void UnknownKeys(JsonObject o, string[] known, string prefix, List<string> p)
    {
        foreach (var (key, _) in o)
            if (!known.Contains(key, StringComparer.Ordinal)) p.Add($"'{prefix}{key}' is not a known key (known: {string.Join(", ", known)})");
    }

    private static JsonObject? Obj(JsonObject o, string key, List<string> p, string prefix)
    {
        var v = o[key];
        if (v is null or JsonObject) return v as JsonObject;
        p.Add($"'{prefix}{key}' must be an object");
        return null;
    }

    private static bool? Bool(JsonObject o, string key, List<string> p, string prefix)
    {
        var v = o[key];
        if (v is null) return null;
        if (v is JsonValue jv && jv.TryGetValue<bool>(out var b)) return b;
        p.Add($"'{prefix}{key}' must be true or false");
        return null;
    }

    private static string? AsString(JsonNode? n) => n is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    private static string? Str(JsonObject? o, string key, List<string> p, bool required = false, string prefix = "")
    {
        var v = o?[key];
        if (v is null) { if (required) p.Add($"'{prefix}{key}' is required"); return null; }
        try { return v.GetValue<string>(); }
        catch (InvalidOperationException) { p.Add($"'{prefix}{key}' must be a string"); return null; }
    }

    private static int? Int(JsonObject? o, string key, List<string> p, string prefix = "")
    {
        var v = o?[key];
        if (v is null) return null;
        try { return v.GetValue<int>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException) { p.Add($"'{prefix}{key}' must be an integer"); return null; }
    }

    private static TimeOnly? Time(JsonObject? o, string key, List<string> p, string prefix = "")
    {
        var s = Str(o, key, p, prefix: prefix);
        if (s is null) return null;
        if (TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
        p.Add($"'{prefix}{key}': '{s}' is not a time of day like \"17:30\"");
        return null;
    }

    private static T? EnumOf<T>(JsonObject o, string key, List<string> p, string where) where T : struct, Enum
    {
        var v = Str(o, key, p, required: true, where + ".");
        if (v is null) return null;
        if (TryEnum<T>(v, out var r)) return r;
        p.Add($"{where}.{key}: '{v}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(x => Camel(x)))}");
        return null;
    }

    private static bool TryEnum<T>(string v, out T r) where T : struct, Enum =>
        Enum.TryParse(v, ignoreCase: true, out r) && !int.TryParse(v, out _);

    internal static string Camel<T>(T v) where T : struct, Enum { var s = v.ToString(); return char.ToLowerInvariant(s[0]) + s[1..]; }
}
