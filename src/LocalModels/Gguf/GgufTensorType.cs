namespace LlmRouter.LocalModels.Gguf;

/// <summary>How a tensor's values are stored (ggml's type numbers).</summary>
public enum GgufTensorType : uint
{
    /// <summary>32-bit floats.</summary>
    F32 = 0,

    /// <summary>Blocks of 32 values: a 16-bit float scale and 32 signed bytes, as most real models are shipped.</summary>
    Q8_0 = 8,
}
