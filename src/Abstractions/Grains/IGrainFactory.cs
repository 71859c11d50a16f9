namespace LlmRouter.Abstractions.Grains;

/// <summary>Gives a reference to the grain with a given identity; callers never learn where its state lives.</summary>
public interface IGrainFactory
{
    TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey;
}
