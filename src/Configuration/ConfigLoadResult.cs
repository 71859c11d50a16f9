namespace LlmRouter.Configuration;

/// <summary>A loaded configuration, the environment it was resolved against, and its warnings.</summary>
public sealed record ConfigLoadResult(RouterConfig Config, RouterEnvironment Environment, IReadOnlyList<ConfigDiagnostic> Warnings);
