using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>The rules every created or changed key must meet, whichever door (REST or CLI) it came through.</summary>
internal static class ApiKeyValidation
{
    public const int MinSecretLength = 8;
    public const int MaxSecretLength = 256;

    public static ApiKeyOutcome? Check(NewApiKey key) =>
        Name(key.Name) ?? Role(key.Role) ?? Secret(key.Secret) ?? Prefix(key.Prefix)
        ?? Models(key.AllowedModels) ?? Providers(key.AllowedProviders) ?? Limits(key.ParameterLimits) ?? Budget(key.Budget)
        ?? Pipeline(key.Pipeline);

    public static ApiKeyOutcome? Check(ApiKeyChanges changes) =>
        (changes.Name is { } name ? Name(name.Value) : null)
        ?? (changes.Role is { } role ? Role(role.Value) : null)
        ?? (changes.AllowedModels is { } models ? Models(models.Value) : null)
        ?? (changes.AllowedProviders is { } providers ? Providers(providers.Value) : null)
        ?? (changes.ParameterLimits is { } limits ? Limits(limits.Value) : null)
        ?? (changes.Budget is { } budget ? Budget(budget.Value) : null)
        ?? (changes.Pipeline is { } pipeline ? Pipeline(pipeline.Value) : null);

    private static ApiKeyOutcome? Name(string name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 200
            ? Invalid("name", "'name' must be a non-empty string of at most 200 characters.")
            : null;

    private static ApiKeyOutcome? Role(string role) =>
        role is ApiKeyRoles.Admin or ApiKeyRoles.User ? null : Invalid("role", "'role' must be \"admin\" or \"user\".");

    private static ApiKeyOutcome? Secret(string? secret)
    {
        if (secret is null)
        {
            return null;
        }
        if (secret.Length is < MinSecretLength or > MaxSecretLength || secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return Invalid("key", $"'key' must be {MinSecretLength} to {MaxSecretLength} characters without spaces.");
        }
        return secret.StartsWith(SecretTokens.SessionPrefix, StringComparison.Ordinal)
            ? Invalid("key", $"'key' must not start with '{SecretTokens.SessionPrefix}', which marks session tokens.")
            : null;
    }

    private static ApiKeyOutcome? Prefix(string prefix) =>
        prefix.Length is >= 1 and <= 16 && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? null
            : Invalid("prefix", "'prefix' must be 1 to 16 letters, digits or underscores.");

    private static ApiKeyOutcome? Models(IReadOnlyList<string>? models) =>
        models?.FirstOrDefault(m => m.IndexOf('/', StringComparison.Ordinal) is <= 0 || m.EndsWith('/')) is { } bad
            ? Invalid("allowed_models", $"'allowed_models' entry '{bad}' must be 'provider/model'.")
            : null;

    private static ApiKeyOutcome? Providers(IReadOnlyList<string>? providers) =>
        providers?.Any(string.IsNullOrWhiteSpace) == true ? Invalid("allowed_providers", "'allowed_providers' entries must be provider names.") : null;

    private static ApiKeyOutcome? Limits(ParameterLimits? limits) => limits switch
    {
        { MaxTokens: < 1 } => Invalid("parameter_limits.max_tokens", "'parameter_limits.max_tokens' must be at least 1."),
        { Temperature: < ParameterLimits.MinTemperature or > ParameterLimits.MaxTemperature } =>
            Invalid("parameter_limits.temperature", $"'parameter_limits.temperature' must be from {ParameterLimits.MinTemperature} to {ParameterLimits.MaxTemperature}."),
        { TopP: < ParameterLimits.MinTopP or > ParameterLimits.MaxTopP } =>
            Invalid("parameter_limits.top_p", $"'parameter_limits.top_p' must be from {ParameterLimits.MinTopP} to {ParameterLimits.MaxTopP}."),
        { N: < 1 or > 128 } => Invalid("parameter_limits.n", "'parameter_limits.n' must be from 1 to 128."),
        _ => null,
    };

    private static ApiKeyOutcome? Pipeline(string? pipeline) =>
        pipeline is null || PipelineNames.IsKnown(pipeline)
            ? null
            : Invalid("pipeline", $"'pipeline' must be one of {string.Join(", ", PipelineNames.All)}.");

    private static ApiKeyOutcome? Budget(BudgetConfig? budget) => budget switch
    {
        { LimitUsd: < 0 } => Invalid("budget", "'budget.limit_usd' must not be negative."),
        { Period: not ("day" or "month") } => Invalid("budget", "'budget.period' must be \"day\" or \"month\"."),
        _ => null,
    };

    private static ApiKeyOutcome Invalid(string param, string message) => ApiKeyOutcome.Fail(ApiKeyFailure.Invalid, message, param);
}
