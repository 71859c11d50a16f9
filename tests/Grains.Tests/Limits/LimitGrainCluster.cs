using LlmRouter.Abstractions.Limits;
using LlmRouter.Grains.Limits;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;
using LlmRouter.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace LlmRouter.Grains.Tests.Limits;

/// <summary>
/// Three in-process silos whose limit grains persist through the project's SQLite grain storage (one file all silos
/// share, as a cluster shares its database), writing behind every 100 ms.
/// </summary>
public sealed class LimitGrainCluster : IAsyncDisposable
{
    public static readonly TimeSpan PersistInterval = TimeSpan.FromMilliseconds(100);

    private readonly TempDirectory _directory;
    private readonly SqliteDatabase _database;

    private LimitGrainCluster(InProcessTestCluster cluster, TempDirectory directory, SqliteDatabase database)
    {
        Cluster = cluster;
        _directory = directory;
        _database = database;
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>A grain factory on each live silo, so calls enter the cluster through every one of them.</summary>
    public IReadOnlyList<IGrainFactory> Factories => Cluster.Silos.Select(s => s.SiloHost.Services.GetRequiredService<IGrainFactory>()).ToArray();

    public static async Task<LimitGrainCluster> StartAsync()
    {
        var directory = new TempDirectory();
        var database = new SqliteDatabase(directory.File("grains.db"));
        await database.MigrateAsync();
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.TryAddSingleton(TimeProvider.System);
            silo.Services.AddSingleton(new LimitGrainOptions { PersistInterval = PersistInterval });
            silo.Services.AddSingleton<IUsageCounterStore>(services => new UsageCounterStore(database.Dialect));
            silo.Services.AddGrainStorage(LimitGrainOptions.StorageName, (services, _) =>
                new SqliteGrainStorage(new SqliteGrainStateStore(database), services.GetRequiredService<IGrainStorageSerializer>()));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LimitGrainCluster(cluster, directory, database);
    }

    /// <summary>The silo the grain is active on now.</summary>
    public InProcessSiloHandle HostOf(IAddressable grain)
    {
        Assert.True(Cluster.TryGetGrainContext(grain.GetGrainId(), out var context), "the grain is not active on any silo");
        return Cluster.Silos.Single(s => s.SiloAddress.Equals(context.Address?.SiloAddress));
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _database.DisposeAsync();
        _directory.Dispose();
    }
}
