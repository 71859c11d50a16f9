using System.Threading.Channels;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.LocalModels.Engine;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Hosting;

/// <summary>
/// One local model on this node: loaded once, served by one dedicated thread that owns its llama.cpp context and
/// batches the requests in flight (continuous batching: a request joins at the next decode step and leaves when it
/// ends). At most <c>1 + queue_size</c> requests are admitted at once, all of them in the batch; the rest are
/// refused, so a burst never grows memory without bound.
/// </summary>
public sealed partial class LocalModelActivation : IAsyncDisposable
{
    private readonly Channel<GenerationJob> _jobs = Channel.CreateUnbounded<GenerationJob>(new UnboundedChannelOptions { SingleReader = true });
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

    /// <summary>The context size in force once loaded.</summary>
    public int ContextSize { get; private set; }

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
    internal void Enqueue(GenerationJob job)
    {
        if (!_jobs.Writer.TryWrite(job))
        {
            job.OnCompleted(new GenerationOutcome { Status = GenerationStatus.Failed, PromptTokens = job.Prompt.Length, Error = "the model is being unloaded" });
            Release();
        }
    }

    private void Run()
    {
        LlamaModel? model = null;
        LlamaScheduler? scheduler = null;
        try
        {
            LlamaBackend.EnsureLoaded(_library.Backend, _library.Directory, _loggers);
            model = LlamaModel.Load(Settings.ModelPath, Settings.GpuLayers);
            var size = Settings.ContextSize ?? Math.Min(model.TrainContextLength > 0 ? model.TrainContextLength : LocalModelSettings.DefaultMaxContext, LocalModelSettings.DefaultMaxContext);
            scheduler = LlamaScheduler.Create(model, size, Settings.Threads, sequences: Capacity);
            ContextSize = scheduler.ContextSize;
            _state = LocalModelState.Ready;
            LogLoaded(_logger, ModelId, Settings.ModelPath, ContextSize, Settings.Threads, scheduler.MaxSequences);
            _loaded.SetResult(model);
        }
        catch (Exception exception) when (exception is LocalModelException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            scheduler?.Dispose();
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
            ServeJobs(scheduler);
        }
        finally
        {
            _state = LocalModelState.Stopped;
            scheduler.Dispose();
            model.Dispose();
            _stopped.SetResult();
        }
    }

    /// <summary>
    /// Feeds admitted jobs into the batch as they arrive and steps it while anything is in flight; sleeps on the
    /// queue when idle. A dedicated thread: blocking here parks no thread-pool thread.
    /// </summary>
    private void ServeJobs(LlamaScheduler scheduler)
    {
        var reader = _jobs.Reader;
        while (true)
        {
            while (reader.TryRead(out var job))
            {
                Join(scheduler, job);
            }
            if (!scheduler.IsIdle)
            {
                scheduler.Step();
                continue;
            }
            if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }
    }

    private void Join(LlamaScheduler scheduler, GenerationJob job)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(job.CancellationToken, _shutdown.Token);
        scheduler.Add(job.Prompt, job.Options, job.OnText, outcome =>
        {
            linked.Dispose();
            try
            {
                if (outcome.Status == GenerationStatus.Cancelled)
                {
                    Interlocked.Increment(ref _cancelled);
                }
                else if (outcome.Status == GenerationStatus.Completed)
                {
                    Interlocked.Increment(ref _served);
                }
                else
                {
                    LogGenerationFailed(_logger, ModelId, outcome.Error);
                }
                job.OnCompleted(outcome);
            }
            finally
            {
                Release();
            }
        }, linked.Token);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Local model {Model} loaded from {Path}: context {Context} tokens, {Threads} thread(s), up to {Sequences} request(s) per batch")]
    private static partial void LogLoaded(ILogger logger, string model, string path, int context, int threads, int sequences);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local model {Model} failed to load: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string model, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local model {Model}: a generation failed: {Reason}")]
    private static partial void LogGenerationFailed(ILogger logger, string model, string? reason);
}
