using CSharpBpf.Object.Core;

namespace CSharpBpf.Linux.Core;

/// <summary>A CO-RE relocation that cannot be resolved against the kernel's BTF (names the type and field).</summary>
public sealed class CoreRelocationException : BpfException
{
    public CoreRelocationException(string message) : base(message) { }
    public CoreRelocationException(string message, System.Exception inner) : base(message + "\n" + inner.Message, inner) { }

    /// <summary>The engine's error (CSharpBpf.Object.Core) as the loader's: same message, the engine's exception inside.</summary>
    internal CoreRelocationException(CoreResolutionException engine) : base(engine.Message, engine) { }
}
