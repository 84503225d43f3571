using RapidResponse.Domain.Import;

namespace RapidResponse.Bot.Import;

/// <summary>An uploaded table file (raw body or multipart field <c>file</c>) with its detected format, or why it cannot be read.</summary>
public sealed record Upload(MemoryStream Content, ImportFormat Format)
{
    /// <summary>Reads the request; <paramref name="problem"/> is a plain-Chinese reason when nothing usable was sent.</summary>
    public static async Task<(Upload? Upload, string? Problem)> ReadAsync(HttpRequest request, IReadOnlyList<string> columns, CancellationToken ct)
    {
        string? fileName = null;
        var contentType = request.ContentType;
        var buffer = new MemoryStream();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try { form = await request.ReadFormAsync(ct); }
            catch (InvalidDataException e) { return (null, $"上传的表单无法读取：{e.Message}"); }
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null) return (null, "表单里没有文件：请用字段 file 上传 .csv 或 .xlsx 文件");
            (fileName, contentType) = (file.FileName, file.ContentType);
            await using var s = file.OpenReadStream();
            await s.CopyToAsync(buffer, ct);
        }
        else await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0)
            return (null, $"文件是空的。请上传 .csv（UTF-8）或 .xlsx 文件，第一行是列名：{string.Join(",", columns)}");
        var format = TableReader.DetectFormat(fileName, contentType, buffer.GetBuffer().AsSpan(0, (int)Math.Min(4, buffer.Length)));
        buffer.Position = 0;
        return (new Upload(buffer, format), null);
    }
}
