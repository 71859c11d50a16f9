namespace LlmRouter.Abstractions.Configuration;

/// <summary>The actions a routing rule may take, by their router.toml key.</summary>
public static class RoutingRuleActions
{
    /// <summary>A model (<c>provider/model</c> or a bare name) or a group name.</summary>
    public const string UseModel = "use_model";

    /// <summary>A provider: its model of the requested name, else its best model.</summary>
    public const string UseProvider = "use_provider";

    /// <summary>A [[model_groups]] name.</summary>
    public const string UseGroup = "use_group";

    public static IReadOnlyList<string> All { get; } = [UseModel, UseProvider, UseGroup];
}
