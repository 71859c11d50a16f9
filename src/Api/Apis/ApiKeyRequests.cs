using LlmRouter.Abstractions.Access;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.Catalog;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.Apis;

/// <summary>Reads the bodies of POST and PATCH /api-keys; throws <see cref="DefinitionException"/> naming the bad field.</summary>
internal static class ApiKeyRequests
{
    public static NewApiKey ParseNew(JsonObject json)
    {
        var f = new JsonFields(json);
        var key = new NewApiKey
        {
            Name = f.RequiredString("name"),
            Secret = f.String("key"),
            Role = f.String("role") ?? ApiKeyRoles.User,
            IsActive = f.Bool("is_active") ?? true,
            Prefix = f.String("prefix") ?? SecretTokens.DefaultKeyPrefix,
            AllowedModels = f.StringList("allowed_models"),
            AllowedProviders = f.StringList("allowed_providers"),
            ParameterLimits = f.Object("parameter_limits") is { } limits ? Limits(limits) : null,
            RateLimit = f.Object("rate_limit") is { } rate ? CatalogDefinitions.ParseRateLimit(rate) : null,
            Budget = f.Object("budget") is { } budget ? Budget(budget) : null,
            Pipeline = f.String("pipeline"),
        };
        f.RejectUnknown();
        return key;
    }

    /// <summary>Members present change (null clears a restriction or limit); absent members stay as they are.</summary>
    public static ApiKeyChanges ParseChanges(JsonObject json)
    {
        var f = new JsonFields(json);
        var changes = new ApiKeyChanges
        {
            Name = f.Has("name") ? new(f.RequiredString("name")) : null,
            Role = f.Has("role") ? new(f.String("role") ?? throw new DefinitionException("role", "'role' must be \"admin\" or \"user\".")) : null,
            IsActive = f.Has("is_active") ? new(f.Bool("is_active") ?? throw new DefinitionException("is_active", "'is_active' must be true or false.")) : null,
            AllowedModels = f.Has("allowed_models") ? new(f.StringList("allowed_models")) : null,
            AllowedProviders = f.Has("allowed_providers") ? new(f.StringList("allowed_providers")) : null,
            ParameterLimits = f.Has("parameter_limits") ? new(f.Object("parameter_limits") is { } limits ? Limits(limits) : null) : null,
            RateLimit = f.Has("rate_limit") ? new(f.Object("rate_limit") is { } rate ? CatalogDefinitions.ParseRateLimit(rate) : null) : null,
            Budget = f.Has("budget") ? new(f.Object("budget") is { } budget ? Budget(budget) : null) : null,
            Pipeline = f.Has("pipeline") ? new(f.String("pipeline")) : null,
        };
        if (json.ContainsKey("key"))
        {
            throw new DefinitionException("key", "A key's secret cannot be changed; create a new key instead.");
        }
        f.RejectUnknown();
        return changes;
    }

    private static ParameterLimits Limits(JsonFields f)
    {
        var limits = new ParameterLimits
        {
            MaxTokens = f.Int("max_tokens", 1),
            Temperature = f.Number("temperature", ParameterLimits.MinTemperature, ParameterLimits.MaxTemperature),
            TopP = f.Number("top_p", ParameterLimits.MinTopP, ParameterLimits.MaxTopP),
            N = f.Int("n", 1),
        };
        f.RejectUnknown();
        return limits;
    }

    private static BudgetConfig Budget(JsonFields f)
    {
        var budget = new BudgetConfig
        {
            LimitUsd = f.Decimal("limit_usd", 0) ?? throw new DefinitionException("budget.limit_usd", "'budget.limit_usd' is required: USD per period."),
            Period = f.String("period") ?? "month",
        };
        f.RejectUnknown();
        return budget;
    }
}
