namespace LlmRouter.Providers.Wire;

/// <summary>A canonical request that cannot be said in the upstream's API; the client gets a 400, nothing is sent.</summary>
internal sealed class TranslationFailure(string message) : Exception(message)
{
    public UpstreamError ToError() => new(UpstreamErrorKind.HttpStatus, Message) { Status = 400 };
}
