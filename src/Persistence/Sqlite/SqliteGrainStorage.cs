using Orleans.Storage;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// Orleans grain storage on the embedded SQLite file: the state serialized by Orleans' grain storage serializer, one
/// row per grain, its version as the etag (a stale etag fails the write with Orleans' InconsistentStateException).
/// </summary>
public sealed class SqliteGrainStorage(SqliteGrainStateStore store, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (await store.ReadAsync(stateName, grainId.ToString()) is { } row)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(row.Payload));
            grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        long? expected = grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : null;
        var written = await store.WriteAsync(stateName, grainId.ToString(), serializer.Serialize(grainState.State).ToArray(), expected)
            ?? throw new InconsistentStateException($"the stored state of {grainId} changed since this activation read it", innerException: null);
        grainState.ETag = written.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await store.ClearAsync(stateName, grainId.ToString());
        grainState.ETag = null;
        grainState.RecordExists = false;
    }
}
