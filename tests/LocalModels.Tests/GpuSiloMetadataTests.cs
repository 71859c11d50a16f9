using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.LocalModels.Placement;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// What local-model placement filters on: a gpu silo's metadata lists the active local models configured on it, a
/// plain silo's lists none; a grain key keeps one session on one activation and always names its model.
/// </summary>
public sealed class GpuSiloMetadataTests
{
    private static readonly RouterConfig Config = new()
    {
        Providers =
        [
            new ProviderConfig { Name = "local", Type = ProviderTypes.LlamaCpp },
            new ProviderConfig { Name = "off", Type = ProviderTypes.LlamaCpp, IsActive = false },
            new ProviderConfig { Name = "cloud", Type = ProviderTypes.OpenAi },
        ],
        Models =
        [
            new ModelConfig { Name = "tiny", Provider = "local" },
            new ModelConfig { Name = "paused", Provider = "local", IsActive = false },
            new ModelConfig { Name = "elsewhere", Provider = "off" },
            new ModelConfig { Name = "gpt", Provider = "cloud" },
        ],
    };

    [Fact]
    public void A_gpu_silo_lists_its_active_local_models_and_a_plain_silo_none()
    {
        var gpu = GpuSiloMetadata.For(new ClusterConfig { Roles = ["gpu"] }, Config);
        var plain = GpuSiloMetadata.For(new ClusterConfig { Roles = ["silo"] }, Config);

        Assert.Equal(new Dictionary<string, string> { ["role"] = "gpu", ["local-models"] = "local/tiny" }, gpu);
        Assert.Equal(new Dictionary<string, string> { ["role"] = "silo" }, plain);
        Assert.True(GpuSiloMetadata.IsGpu(gpu));
        Assert.False(GpuSiloMetadata.IsGpu(plain));
        Assert.True(GpuSiloMetadata.Hosts(gpu, "local/tiny"));
        Assert.False(GpuSiloMetadata.Hosts(gpu, "local/paused"));
        Assert.False(GpuSiloMetadata.Hosts(gpu, "local/tin"));
        Assert.False(GpuSiloMetadata.Hosts(plain, "local/tiny"));
        // A silo that lists the model but is not marked gpu hosts nothing.
        Assert.False(GpuSiloMetadata.Hosts(new Dictionary<string, string> { ["role"] = "silo", ["local-models"] = "local/tiny" }, "local/tiny"));
    }

    [Fact]
    public void A_session_keeps_one_grain_key_and_every_key_names_its_model()
    {
        var alice = LocalModelGrainKey.For("local/tiny", "alice");

        Assert.Equal(alice, LocalModelGrainKey.For("local/tiny", "alice"));
        Assert.NotEqual(alice, LocalModelGrainKey.For("local/tiny", "bob"));
        Assert.NotEqual(alice, LocalModelGrainKey.For("local/other", "alice"));
        Assert.DoesNotContain("alice", alice, StringComparison.Ordinal);
        Assert.Equal("local/tiny", LocalModelGrainKey.ModelId(alice));
        Assert.Equal("local/a|b", LocalModelGrainKey.ModelId(LocalModelGrainKey.For("local/a|b", "alice")));
        var shared = Enumerable.Range(0, 200).Select(_ => LocalModelGrainKey.For("local/tiny", null)).Distinct().ToArray();
        Assert.Equal(LocalModelGrainKey.SharedSlots, shared.Length);
        Assert.All(shared, key => Assert.Equal("local/tiny", LocalModelGrainKey.ModelId(key)));
    }
}
