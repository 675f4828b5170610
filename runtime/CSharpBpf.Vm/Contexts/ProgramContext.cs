using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// What a program gets in r1, modelled as the kernel presents it to programs (after the
/// verifier's context access rewriting). <see cref="Attach"/> maps the context's regions into the
/// machine and returns r1; <see cref="Detach"/> copies results back out and unmaps them.
/// </summary>
public abstract class ProgramContext
{
    /// <summary>The packet LD_ABS/LD_IND read, for socket-buffer contexts.</summary>
    public virtual MemoryRegion? LegacyPacket => null;

    /// <summary>The attached context struct, when it is a rewritten one (lets the machine answer pointer-field loads fast).</summary>
    internal virtual ContextMemory? FastContext => null;

    public abstract ulong Attach(BpfMachine machine);

    public abstract void Detach(BpfMachine machine);
}
