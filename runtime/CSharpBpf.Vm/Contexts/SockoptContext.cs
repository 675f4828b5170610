using System;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// A cgroup/getsockopt or cgroup/setsockopt program's input: struct bpf_sockopt with sk, optval
/// and optval_end as pointers (optval into a writable buffer region), level/optname/optlen and
/// retval. setsockopt programs may rewrite level, optname and optlen; getsockopt programs optlen and
/// retval. After the run the properties hold what the program left.
/// </summary>
public sealed class SockoptContext : ProgramContext, ISocketContext
{
    public const int OffSk = 0, OffOptval = 8, OffOptvalEnd = 16, OffLevel = 24, OffOptname = 28, OffOptlen = 32, OffRetval = 36, Size = 40;
    private readonly ContextMemory _opt = new(Size);
    private MemoryRegion? _ctx, _buffer;

    public SockoptContext(SimulatedSocket socket, bool isSet, int level, int optname, byte[] optval, int retval = 0)
    {
        Socket = socket ?? throw new ArgumentNullException(nameof(socket));
        IsSet = isSet;
        Optval = optval ?? throw new ArgumentNullException(nameof(optval));
        _opt.SetU32(OffLevel, (uint)level);
        _opt.SetU32(OffOptname, (uint)optname);
        _opt.SetU32(OffOptlen, (uint)optval.Length);
        _opt.SetU32(OffRetval, (uint)retval);
        _opt.Pointer(OffSk, 8, () => Socket.BpfSockAddress)
            .Pointer(OffOptval, 8, () => _buffer!.Address)
            .Pointer(OffOptvalEnd, 8, () => _buffer!.AddressOf(_buffer.Length))
            .Writable(OffOptlen, 4);
        if (isSet) _opt.Writable(OffLevel, 8);
        else _opt.Writable(OffRetval, 4);
    }

    public SimulatedSocket Socket { get; }
    SimulatedSocket? ISocketContext.Socket => Socket;
    public bool IsSet { get; }

    /// <summary>The option buffer (after the run: the program's bytes, whole buffer).</summary>
    public byte[] Optval { get; private set; }

    public int Level => (int)_opt.U32(OffLevel);
    public int Optname => (int)_opt.U32(OffOptname);
    public int Optlen => (int)_opt.U32(OffOptlen);
    public int Retval => (int)_opt.U32(OffRetval);

    internal override ContextMemory? FastContext => _opt;

    public override ulong Attach(BpfMachine machine)
    {
        _buffer = machine.Memory.Add("optval", RegionKind.Buffer, Optval);
        _ctx = machine.Memory.AddVirtual("bpf_sockopt", RegionKind.Context, Size, _opt);
        _opt.Bind(_ctx);
        return _ctx.Address;
    }

    public override void Detach(BpfMachine machine)
    {
        if (_buffer is not null)
        {
            Optval = _buffer.Span.ToArray();
            machine.Memory.Remove(_buffer);
        }
        if (_ctx is not null) machine.Memory.Remove(_ctx);
        _ctx = _buffer = null;
    }
}
