namespace RapidResponse.Domain;

/// <summary>A rule of the domain was broken; the message is plain Chinese, fit to show the person who tried.</summary>
public class DomainException(string message) : Exception(message);
