using LlmRouter.Abstractions.Access;
using LlmRouter.Grains.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>
/// A key's policy over one call: which models and providers it may use, and the parameter limits the request
/// is clamped to (a missing max_tokens becomes the limit), so the upstream and the log see the effective values.
/// </summary>
public static class ApiKeyPolicy
{
    private static readonly string[] TokenLimitFields = ["max_tokens", "max_completion_tokens"];

    // Tiers billed at the standard price or below; "priority" and "scale" cost more and are for admin keys.
    private static readonly string[] StandardServiceTiers = ["auto", "default", "flex", "standard_only"];

    /// <summary>Null when <paramref name="key"/> may call <c>provider/model</c> <paramref name="modelId"/>.</summary>
    public static AccessDenial? CheckModel(ApiKeyRecord key, string provider, string modelId)
    {
        if (key.AllowedProviders is { } providers && !providers.Contains(provider, StringComparer.Ordinal))
        {
            return new AccessDenial(AccessDenialReason.ProviderNotAllowed, $"This API key may not use provider '{provider}'.", "model");
        }
        if (key.AllowedModels is { } models && !models.Contains(modelId, StringComparer.Ordinal))
        {
            return new AccessDenial(AccessDenialReason.ModelNotAllowed, $"This API key may not use model '{modelId}'.", "model");
        }
        return null;
    }

    /// <summary>
    /// Null when <paramref name="key"/> may send what <paramref name="body"/> asks for at its price: a key that is
    /// not an admin's may not pick a service tier billed above the standard price.
    /// </summary>
    public static AccessDenial? CheckPricedFields(ApiKeyRecord key, JsonObject body)
    {
        if (key.IsAdmin || body["service_tier"] is not { } tier)
        {
            return null;
        }
        return tier is JsonValue value && value.GetValueKind() == JsonValueKind.String && StandardServiceTiers.Contains(value.GetValue<string>(), StringComparer.Ordinal)
            ? null
            : new AccessDenial(AccessDenialReason.ParameterNotAllowed,
                $"This API key may set 'service_tier' only to one of {string.Join(", ", StandardServiceTiers)}; other tiers are billed higher and need an admin key.",
                "service_tier");
    }

    /// <summary>Lowers max_tokens, max_completion_tokens, temperature, top_p and n in <paramref name="body"/> to the limits.</summary>
    public static AccessDenial? Clamp(ParameterLimits? limits, JsonObject body)
    {
        if (limits is null)
        {
            return null;
        }
        if (limits.MaxTokens is { } maxTokens)
        {
            var present = false;
            foreach (var field in TokenLimitFields)
            {
                switch (Number(body, field))
                {
                    case (true, null):
                        return NotANumber(field);
                    case (_, { } value):
                        present = true;
                        if (value > maxTokens)
                        {
                            body[field] = maxTokens;
                        }
                        break;
                }
            }
            if (!present)
            {
                body["max_tokens"] = maxTokens;
            }
        }
        return ClampUpTo(body, "temperature", limits.Temperature) ?? ClampUpTo(body, "top_p", limits.TopP) ?? ClampChoices(body, limits.N);
    }

    private static AccessDenial? ClampUpTo(JsonObject body, string field, double? limit)
    {
        if (limit is not { } max)
        {
            return null;
        }
        switch (Number(body, field))
        {
            case (true, null):
                return NotANumber(field);
            case (_, { } value) when value > max:
                body[field] = max;
                break;
        }
        return null;
    }

    // n stays an integer: the reservation reads it as one.
    private static AccessDenial? ClampChoices(JsonObject body, int? limit)
    {
        if (limit is not { } max)
        {
            return null;
        }
        switch (Number(body, "n"))
        {
            case (true, null):
                return NotANumber("n");
            case (_, { } value) when value > max:
                body["n"] = max;
                break;
        }
        return null;
    }

    /// <summary>
    /// (whether the field holds a non-null value, its number when it is one). Read from the JSON text: a value a
    /// translator set as a long is no double to <c>GetValue</c>.
    /// </summary>
    private static (bool Present, double? Value) Number(JsonObject body, string field) => body[field] switch
    {
        null => (false, null),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number =>
            (true, double.Parse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)),
        _ => (true, null),
    };

    private static AccessDenial NotANumber(string field) =>
        new(AccessDenialReason.InvalidParameter, $"'{field}' must be a number: this API key limits it.", field);
}
