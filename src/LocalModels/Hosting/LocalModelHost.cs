using LlmRouter.Abstractions.Cluster;
using LlmRouter.Abstractions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LlmRouter.LocalModels.Hosting;

/// <summary>
/// The local models this node hosts: on a node with the <c>gpu</c> role, one activation per active model of a
/// <c>llamacpp</c> provider, loaded at start and kept in step with configuration reloads (a changed model is
/// loaded anew; a removed one finishes its queue, then is freed). Other nodes host nothing.
/// </summary>
public sealed partial class LocalModelHost : IHostedService, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IRouterConfigSource _config;
    private readonly RouterEnvironment _environment;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly string _baseDirectory;
    private volatile Dictionary<string, LocalModelActivation> _activations = new(StringComparer.Ordinal);
    private bool _stopped;

    public LocalModelHost(IRouterConfigSource config, RouterEnvironment environment, IHostEnvironment host, ILoggerFactory loggers)
    {
        _config = config;
        _environment = environment;
        _loggers = loggers;
        _logger = loggers.CreateLogger<LocalModelHost>();
        _baseDirectory = host.ContentRootPath;
        IsGpuNode = NodeRoles.IsGpu(config.Current.Cluster.Roles);
    }

    /// <summary>Whether this node has the <c>gpu</c> role (fixed at start).</summary>
    public bool IsGpuNode { get; }

    /// <summary>The activation of a model this node hosts (loading, ready or failed), or null.</summary>
    public LocalModelActivation? Find(string modelId) => _activations.GetValueOrDefault(modelId);

    /// <summary>The llama.cpp build to load: the configured backend, or the library folder in LLM_ROUTER_LLAMA_LIB_DIR.</summary>
    public LlamaLibrarySource Library => new(_config.Current.Cluster.LlamaBackend, _environment.Get("LLM_ROUTER_LLAMA_LIB_DIR") is { Length: > 0 } directory ? directory : null);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsGpuNode)
        {
            _config.Changed += OnConfigChanged;
            Apply(_config.Current);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _config.Changed -= OnConfigChanged;
        Dictionary<string, LocalModelActivation> activations;
        lock (_gate)
        {
            _stopped = true;
            activations = _activations;
            _activations = new(StringComparer.Ordinal);
        }
        foreach (var activation in activations.Values)
        {
            await activation.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    private void OnConfigChanged(RouterConfig config) => Apply(config);

    private void Apply(RouterConfig config)
    {
        var retired = new List<LocalModelActivation>();
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            var next = new Dictionary<string, LocalModelActivation>(StringComparer.Ordinal);
            foreach (var (model, settings) in Desired(config))
            {
                if (_activations.TryGetValue(model.Id, out var current) && current.Settings == settings && current.Model.UpstreamName == model.UpstreamName)
                {
                    next[model.Id] = current;
                    continue;
                }
                var activation = new LocalModelActivation(model, settings, Library, _loggers);
                activation.Start();
                next[model.Id] = activation;
                LogLoading(_logger, model.Id, settings.ModelPath);
            }
            retired.AddRange(_activations.Values.Where(a => !next.TryGetValue(a.ModelId, out var kept) || !ReferenceEquals(kept, a)));
            _activations = next;
        }
        foreach (var activation in retired)
        {
            // Requests already admitted finish on the old activation; new ones go to the new one.
            _ = Task.Run(async () =>
            {
                await activation.StopAsync(cancelRunning: false).ConfigureAwait(false);
                await activation.DisposeAsync().ConfigureAwait(false);
            });
        }
    }

    private IEnumerable<(ModelConfig Model, LocalModelSettings Settings)> Desired(RouterConfig config)
    {
        var providers = config.Providers
            .Where(p => p.IsActive && p.Type == ProviderTypes.LlamaCpp)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var model in config.Models)
        {
            if (!model.IsActive || !providers.Contains(model.Provider))
            {
                continue;
            }
            if (LocalModelSettings.From(model, _baseDirectory) is { } settings)
            {
                yield return (model, settings);
            }
            else
            {
                LogNoModelPath(_logger, model.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading local model {Model} from {Path}")]
    private static partial void LogLoading(ILogger logger, string model, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local model {Model} has no [models.config] model_path; this node cannot host it")]
    private static partial void LogNoModelPath(ILogger logger, string model);
}
