using System.Threading.Channels;
using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.LocalModels.Hosting;

/// <summary>
/// One local model on this node: loaded once, served by one dedicated thread that owns its llama.cpp context and
/// batches the requests in flight (continuous batching: a request joins at the next decode step and leaves when it
/// ends). At most <c>1 + queue_size</c> requests are admitted at once, all of them in the batch; the rest are
/// refused, so a burst never grows memory without bound.
/// </summary>
public sealed partial class LocalModelActivation : IAsyncDisposable
{
    private readonly Channel<ModelJob> _jobs = Channel.CreateUnbounded<ModelJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<LlamaModel> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly LlamaLibrarySource _library;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private int _pending;
    private long _served;
    private long _cancelled;
    private volatile LocalModelState _state = LocalModelState.Loading;

    public LocalModelActivation(ModelConfig model, LocalModelSettings settings, LlamaLibrarySource library, ILoggerFactory loggers)
    {
        Model = model;
        Settings = settings;
        _library = library;
        _loggers = loggers;
        _logger = loggers.CreateLogger<LocalModelActivation>();
    }

    public ModelConfig Model { get; }
    public string ModelId => Model.Id;
    public LocalModelSettings Settings { get; }
    public LocalModelState State => _state;

    /// <summary>Why loading failed, when <see cref="State"/> is <see cref="LocalModelState.Failed"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>The context size in force once loaded (for an embedding model, the longest input).</summary>
    public int ContextSize { get; private set; }

    /// <summary>The length of an embedding model's vectors, once loaded.</summary>
    public int Dimensions { get; private set; }

    /// <summary>Requests running or waiting.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public int Capacity => 1 + Settings.QueueSize;

    /// <summary>Calls answered in full.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Calls whose client left before the answer was complete.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    /// <summary>Completes with the model once it is loaded; faults when loading failed.</summary>
    public Task<LlamaModel> Loaded => _loaded.Task;

    internal CancellationToken ShuttingDown => _shutdown.Token;

    /// <summary>Starts loading the model on the activation's own thread.</summary>
    public void Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "llama " + ModelId };
        thread.Start();
    }

    /// <summary>Takes one of the admission slots; false when all are taken (or the model cannot serve).</summary>
    public bool TryReserve()
    {
        if (_state is LocalModelState.Failed or LocalModelState.Stopped)
        {
            return false;
        }
        if (Interlocked.Increment(ref _pending) > Capacity)
        {
            Interlocked.Decrement(ref _pending);
            return false;
        }
        return true;
    }

    /// <summary>Gives back a slot reserved by <see cref="TryReserve"/> for a request that was never enqueued.</summary>
    public void Release() => Interlocked.Decrement(ref _pending);

    /// <summary>Queues a job on a slot already reserved; the slot is released when the job ends.</summary>
    internal void Enqueue(ModelJob job)
    {
        if (!_jobs.Writer.TryWrite(job))
        {
            job.Refuse("the model is being unloaded");
            Release();
        }
    }

    private void Run()
    {
        LlamaModel? model = null;
        IBatchingEngine? engine = null;
        try
        {
            LlamaBackend.EnsureLoaded(_library.Backend, _library.Directory, _loggers);
            model = LlamaModel.Load(Settings.ModelPath, Settings.GpuLayers);
            var size = Settings.ContextSize ?? Math.Min(model.TrainContextLength > 0 ? model.TrainContextLength : LocalModelSettings.DefaultMaxContext, LocalModelSettings.DefaultMaxContext);
            if (Settings.Embeddings)
            {
                var embedder = LlamaEmbedder.Create(model, size, Settings.Threads, Settings.Pooling);
                (engine, ContextSize, Dimensions) = (embedder, embedder.ContextSize, embedder.Dimensions);
                LogEmbeddingsLoaded(_logger, ModelId, Settings.ModelPath, Dimensions, embedder.Pooling.ToString(), ContextSize, Settings.Threads);
            }
            else
            {
                var scheduler = LlamaScheduler.Create(model, size, Settings.Threads, sequences: Capacity);
                (engine, ContextSize) = (scheduler, scheduler.ContextSize);
                LogLoaded(_logger, ModelId, Settings.ModelPath, ContextSize, Settings.Threads, scheduler.MaxSequences);
            }
            _state = LocalModelState.Ready;
            _loaded.SetResult(model);
        }
        catch (Exception exception) when (exception is LocalModelException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            engine?.Dispose();
            model?.Dispose();
            Error = exception.Message;
            _state = LocalModelState.Failed;
            LogLoadFailed(_logger, exception, ModelId, exception.Message);
            _loaded.SetException(exception);
            _stopped.SetResult();
            return;
        }

        try
        {
            ServeJobs(engine);
        }
        finally
        {
            _state = LocalModelState.Stopped;
            engine.Dispose();
            model.Dispose();
            _stopped.SetResult();
        }
    }

    /// <summary>
    /// Feeds admitted jobs into the engine as they arrive and steps it while anything is in flight; sleeps on the
    /// queue when idle. A dedicated thread: blocking here parks no thread-pool thread.
    /// </summary>
    private void ServeJobs(IBatchingEngine engine)
    {
        var reader = _jobs.Reader;
        while (true)
        {
            while (reader.TryRead(out var job))
            {
                Join(engine, job);
            }
            if (!engine.IsIdle)
            {
                engine.Step();
                continue;
            }
            if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }
    }

    private void Join(IBatchingEngine engine, ModelJob job)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(job.CancellationToken, _shutdown.Token);
        switch ((engine, job))
        {
            case (LlamaScheduler scheduler, GenerationJob generation):
                scheduler.Add(generation.Prompt, generation.Options, generation.OnText, outcome =>
                    Ended(linked, outcome.Status, outcome.Error, () => generation.OnCompleted(outcome)), linked.Token);
                break;
            case (LlamaEmbedder embedder, EmbeddingJob embedding):
                embedder.Add(embedding.Inputs, outcome =>
                    Ended(linked, outcome.Status, outcome.Error, () => embedding.OnCompleted(outcome)), linked.Token);
                break;
            default:
                // The servers check the model's kind before they enqueue; this only guards the worker.
                Ended(linked, GenerationStatus.Failed, "the model does not serve this kind of call", () => job.Refuse("the model does not serve this kind of call"));
                break;
        }
    }

    /// <summary>Counts a job that ended, tells its caller, and gives its admission slot back.</summary>
    private void Ended(CancellationTokenSource linked, GenerationStatus status, string? error, Action tellCaller)
    {
        linked.Dispose();
        try
        {
            if (status == GenerationStatus.Cancelled)
            {
                Interlocked.Increment(ref _cancelled);
            }
            else if (status == GenerationStatus.Completed)
            {
                Interlocked.Increment(ref _served);
            }
            else
            {
                LogCallFailed(_logger, ModelId, error);
            }
            tellCaller();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Stops taking requests, lets queued ones finish (or cancels them when <paramref name="cancelRunning"/>), then frees the model.</summary>
    public async ValueTask StopAsync(bool cancelRunning)
    {
        _jobs.Writer.TryComplete();
        if (cancelRunning)
        {
            await _shutdown.CancelAsync().ConfigureAwait(false);
        }
        await _stopped.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(cancelRunning: true).ConfigureAwait(false);
        _shutdown.Dispose();
    }
}
