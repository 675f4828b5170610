using System;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// The context of struct_ops, raw_tp, tp_btf, fentry/fexit programs: a read-only array of u64
/// arguments, where pointer arguments are addresses of simulated kernel objects (e.g. a
/// <see cref="Kernel.SimulatedSocket.KernelAddress"/> for a tcp_congestion_ops callback's sk).
/// </summary>
public sealed class ArgumentsContext : ProgramContext
{
    private MemoryRegion? _ctx;

    public ArgumentsContext(params ulong[] args) => Args = args ?? throw new ArgumentNullException(nameof(args));

    public ulong[] Args { get; }

    public override ulong Attach(BpfMachine machine)
    {
        var bytes = new byte[Args.Length * 8];
        for (int i = 0; i < Args.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), Args[i]);
        _ctx = machine.Memory.Add("args", RegionKind.Context, bytes, writable: false);
        return _ctx.Address;
    }

    public override void Detach(BpfMachine machine)
    {
        if (_ctx is not null) machine.Memory.Remove(_ctx);
        _ctx = null;
    }
}
