namespace LlmRouter.Tests.Shared;

/// <summary>Where a test puts the credential: Authorization: Bearer, X-API-Key, or ?api_key=.</summary>
public enum CredentialPlace
{
    Bearer,
    Header,
    Query,
}
