using System.Xml;
using System.Xml.Linq;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>XML loading hardened against XXE and entity expansion: callbacks come from the internet before authentication.</summary>
public static class SafeXml
{
    /// <summary>Far above any real callback (a few KiB) so a billion-laughs style payload cannot grow in memory.</summary>
    public const long MaxCharactersInDocument = 256 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharactersInDocument,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Parses a document, or returns null for malformed XML, any DTD, or oversize input.</summary>
    public static XElement? TryParse(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            return XDocument.Load(reader, LoadOptions.None).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>Text of a direct child element, or null when absent; CDATA and plain text read the same.</summary>
    public static string? Child(this XElement parent, string name) => parent.Element(name)?.Value;
}
