namespace LlmRouter.Configuration;

/// <summary>Binds router.toml's [[api_keys]], with their parameter limits, rate limit and budget.</summary>
internal static class ApiKeyBinding
{
    public static ApiKeyConfig ApiKey(TomlSection s)
    {
        var role = s.OptionalString("role") ?? ApiKeyRoles.User;
        if (role is not (ApiKeyRoles.Admin or ApiKeyRoles.User))
        {
            throw s.Error(s.Table["role"].Position, $"role '{role}' in {s.Name} must be \"admin\" or \"user\"");
        }
        var key = new ApiKeyConfig
        {
            Name = s.RequiredString("name"),
            KeyEnv = s.OptionalString("key_env"),
            Key = s.OptionalString("key"),
            Role = role,
            IsActive = s.Bool("is_active", true),
            AllowedModels = s.OptionalStringList("allowed_models"),
            AllowedProviders = s.OptionalStringList("allowed_providers"),
            ParameterLimits = s.OptionalTable("parameter_limits", s.Name + ".parameter_limits") is { } limits ? Limits(limits) : null,
            RateLimit = s.OptionalTable("rate_limit", s.Name + ".rate_limit") is { } rate ? ModelBinding.RateLimit(rate) : null,
            Budget = s.OptionalTable("budget", s.Name + ".budget") is { } budget ? Budget(budget) : null,
            Pipeline = s.OptionalString("pipeline"),
        };
        if (key.KeyEnv is null && key.Key is null)
        {
            throw s.Missing("key_env", "the environment variable holding the key, or 'key'");
        }
        s.WarnUnknownKeys();
        return key;
    }

    private static ParameterLimits Limits(TomlSection s)
    {
        var limits = new ParameterLimits
        {
            MaxTokens = s.OptionalInt("max_tokens", 1),
            Temperature = s.OptionalNumber("temperature", ParameterLimits.MinTemperature, ParameterLimits.MaxTemperature),
            TopP = s.OptionalNumber("top_p", ParameterLimits.MinTopP, ParameterLimits.MaxTopP),
            N = s.OptionalInt("n", 1, 128),
        };
        s.WarnUnknownKeys();
        return limits;
    }

    private static BudgetConfig Budget(TomlSection s)
    {
        var period = s.OptionalString("period") ?? "month";
        if (period is not ("day" or "month"))
        {
            throw s.Error(s.Table["period"].Position, $"period '{period}' in {s.Name} must be \"day\" or \"month\"");
        }
        var budget = new BudgetConfig
        {
            LimitUsd = (decimal)(s.OptionalNumber("limit_usd", 0) ?? throw s.Missing("limit_usd", "USD per period")),
            Period = period,
        };
        s.WarnUnknownKeys();
        return budget;
    }
}
