namespace LlmRouter.Abstractions.Configuration;

/// <summary>The roles an API key can have.</summary>
public static class ApiKeyRoles
{
    public const string Admin = "admin";
    public const string User = "user";
}
