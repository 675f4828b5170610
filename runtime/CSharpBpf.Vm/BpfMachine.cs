using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Execution;
using CSharpBpf.Vm.Helpers;
using CSharpBpf.Vm.Maps;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm;

/// <summary>
/// The simulated kernel one or more programs run in: memory regions, the call stack, maps,
/// helpers and kfuncs, simulated sockets, the trace pipe, clock and random source. One program runs
/// at a time on a machine (as on one CPU); make one machine per test or per thread.
/// </summary>
public sealed unsafe class BpfMachine : IDisposable
{
    public const int StackFrameSize = 512;
    /// <summary>The kernel's MAX_CALL_FRAMES: the main function plus 7 nested bpf-to-bpf calls.</summary>
    public const int MaxCallFrames = 8;
    /// <summary>The kernel's MAX_TAIL_CALL_CNT.</summary>
    public const int MaxTailCalls = 33;
    public const long DefaultInstructionBudget = 10_000_000;

    private readonly Dictionary<int, BpfMap> _mapsByFd = new();
    private int _nextFd = 3;
    private ulong _stackTop;

    public BpfMachine(ExecutionEngine engine = ExecutionEngine.Interpreter, int regionCapacity = 4096)
    {
        Engine = engine;
        Memory = new AddressSpace(regionCapacity);
        Stack = Memory.Add("stack", RegionKind.Stack, StackFrameSize * MaxCallFrames);
        _stackTop = Stack.AddressOf(Stack.Length);
        RegionTablePtr = (nint)Memory.Table;
        StackDataPtr = (nint)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(Stack.Bytes));
        StandardHelpers.RegisterAll(Helpers);
        Kernel.TcpCongestionKfuncs.RegisterAll(Kfuncs);
    }

    public ExecutionEngine Engine { get; set; }
    public AddressSpace Memory { get; }

    /// <summary>All call frames, 512 bytes each; frame d (0 = main) ends at the stack top minus d*512.</summary>
    public MemoryRegion Stack { get; }

    public HelperTable Helpers { get; } = new();
    public KfuncTable Kfuncs { get; } = new();

    /// <summary>Executed-instruction limit per run; exceeding it stops the program with <see cref="VmErrorKind.BudgetExhausted"/>.</summary>
    public long InstructionBudget { get; set; } = DefaultInstructionBudget;

    /// <summary>
    /// Zero the main 512-byte frame before each run (default), so no run sees a previous run's stack.
    /// The kernel does not do this; verified programs never read uninitialised stack, so a benchmark
    /// comparing with the kernel may turn it off.
    /// </summary>
    public bool ClearStackEachRun { get; set; } = true;

    /// <summary>Instructions executed by the last run.</summary>
    public long InstructionsExecuted { get; private set; }

    /// <summary>Lines written by bpf_trace_printk, as /sys/kernel/tracing/trace_pipe would show their text.</summary>
    public List<string> TraceOutput { get; } = new();

    /// <summary>bpf_ktime_get_ns: by default a monotonic clock; tests may pin it.</summary>
    public Func<ulong> Clock { get; set; } = () => (ulong)System.Diagnostics.Stopwatch.GetTimestamp() * (1_000_000_000UL / (ulong)System.Diagnostics.Stopwatch.Frequency);

    /// <summary>bpf_get_prandom_u32's source (seeded, so runs are reproducible).</summary>
    public Random Random { get; set; } = new(12345);

    /// <summary>The CPU the program runs on (bpf_get_smp_processor_id, per-CPU maps).</summary>
    public int CurrentCpu { get; set; }

    /// <summary>Possible CPUs: the number of per-CPU copies in percpu maps.</summary>
    public int PossibleCpus { get; set; } = 4;

    /// <summary>The context of the run in progress (packet, sysctl, sockopt…), for helpers that need it.</summary>
    public ProgramContext? CurrentContext { get; internal set; }

    /// <summary>The program whose instruction is executing (changes on tail calls).</summary>
    public VmProgram? CurrentProgram { get; internal set; }

    /// <summary>Names bpf_setsockopt(TCP_CONGESTION) accepts beyond the built-in ones (e.g. registered struct_ops).</summary>
    public HashSet<string> RegisteredCongestionControls { get; } = new(StringComparer.Ordinal);

    /// <summary>Set by bpf_redirect_map/bpf_redirect: where the last XDP/TC program asked the packet to go.</summary>
    public RedirectTarget? LastRedirect { get; internal set; }

    // ---------------------------------------------------------------- per-run engine state

    internal long Budget;
    internal int Depth;
    internal int TailCalls;
    internal readonly ulong[] SavedRegisters = new ulong[MaxCallFrames * 10];
    internal readonly int[] SavedReturnPc = new int[MaxCallFrames];
    internal readonly VmProgram?[] SavedProgram = new VmProgram?[MaxCallFrames];

    /// <summary>Where JIT code parks its live registers around a memory slow-path call (see Jit/RegisterLiveness).</summary>
    internal readonly ulong[] JitParking = new ulong[Execution.DecodedProgram.RegisterCount];

    /// <summary>The native region table, for the JIT's inline bounds check (fixed for the machine's life).</summary>
    internal readonly nint RegionTablePtr;

    /// <summary>The stack's host address (pinned, never resized): the JIT's fallback cached region.</summary>
    internal readonly nint StackDataPtr;

    // ---------------------------------------------------------------- programs and maps

    /// <summary>Loads raw instructions as a program of this machine.</summary>
    public VmProgram Load(IReadOnlyList<Instruction> instructions, ProgramType type = ProgramType.Unspecified, ProgramReferences? references = null, string name = "prog")
        => new(this, instructions, type, references ?? ReferencesForAllMaps(), name);

    /// <summary>References naming every map created on this machine, by fd and in creation order.</summary>
    public ProgramReferences ReferencesForAllMaps()
    {
        var r = new ProgramReferences();
        foreach (var kv in _mapsByFd)
        {
            r.MapsByFd[kv.Key] = kv.Value;
            r.MapsByIndex.Add(kv.Value);
        }
        return r;
    }

    internal int RegisterMap(BpfMap map)
    {
        int fd = _nextFd++;
        _mapsByFd[fd] = map;
        return fd;
    }

    public IReadOnlyDictionary<int, BpfMap> Maps => _mapsByFd;

    /// <summary>The map a program passed in a register (what LD_IMM64 of a map fd produced).</summary>
    public BpfMap ResolveMap(ulong address, int pc, string argument = "r1")
    {
        var region = Memory.RegionOf(address, out long off);
        if (region?.Owner is BpfMap m && region.Kind == RegionKind.Map && off == 0) return m;
        throw new BpfVmException(VmErrorKind.BadHelperArgument, pc, $"{argument} = 0x{address:x} is not a map pointer");
    }

    // ---------------------------------------------------------------- running

    /// <summary>Runs <paramref name="program"/> with r1 = <paramref name="r1"/>; returns r0.</summary>
    public ulong Run(VmProgram program, ulong r1, ProgramContext? context = null) => Run(program, r1, 0, context);

    /// <summary>Runs with r1 and r2 set (bpf_conformance passes the memory length in r2); returns r0.</summary>
    public ulong Run(VmProgram program, ulong r1, ulong r2, ProgramContext? context = null)
    {
        if (program.Machine != this) throw new ArgumentException("the program belongs to another machine", nameof(program));
        Budget = InstructionBudget;
        Depth = 0;
        TailCalls = 0;
        CurrentContext = context;
        CurrentProgram = program;
        var fast = context?.FastContext;
        _ctxBase = fast?.Region?.Address ?? 0;
        _ctxPointers = fast?.PointerAt ?? System.Array.Empty<ulong>();
        _ctxWidePointers = fast?.WidePointerAt ?? System.Array.Empty<ulong>();
        LastRedirect = null;
        if (ClearStackEachRun) Stack.Span.Slice(Stack.Length - StackFrameSize).Clear();
        try
        {
            return Engine == ExecutionEngine.Jit
                ? program.JitCode.Main(this, r1, r2, 0, 0, 0, _stackTop)
                : Interpreter.Interpreter.Run(this, program, r1, r2, _stackTop);
        }
        catch (LegacyPacketAbort)
        {
            // LD_ABS/LD_IND out of bounds: the kernel ends the program with r0 = 0.
            return 0;
        }
        finally
        {
            InstructionsExecuted = InstructionBudget - Budget;
        }
    }

    /// <summary>Pushes a bpf-to-bpf frame: checks the depth, clears the callee's 512 bytes, returns its r10.</summary>
    internal ulong EnterFrame(int pc)
    {
        if (Depth + 1 >= MaxCallFrames)
            throw new BpfVmException(VmErrorKind.CallDepthExceeded, pc, $"call nests deeper than {MaxCallFrames} frames");
        Depth++;
        Stack.Span.Slice(Stack.Length - (Depth + 1) * StackFrameSize, StackFrameSize).Clear();
        return _stackTop - (ulong)(Depth * StackFrameSize);
    }

    internal void LeaveFrame() => Depth--;

    internal BpfVmException BudgetExhausted(int pc) =>
        new(VmErrorKind.BudgetExhausted, pc, $"instruction budget of {InstructionBudget} exhausted (a runaway loop?)");

    internal static BpfVmException Invalid(VmProgram program, int pc) =>
        new(VmErrorKind.InvalidInstruction, pc, $"invalid instruction in '{program.Name}': {program.Decoded.ReasonAt(pc)}");

    // ---------------------------------------------------------------- memory slow paths (both engines)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Load(ulong address, int size, int pc)
    {
        byte* p = Memory.TryTranslate(address, size, write: false);
        if (p is null) return SlowLoad(address, size, pc);
        return size switch
        {
            1 => *p,
            2 => Unsafe.ReadUnaligned<ushort>(p),
            4 => Unsafe.ReadUnaligned<uint>(p),
            _ => Unsafe.ReadUnaligned<ulong>(p),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Store(ulong address, int size, ulong value, int pc)
    {
        byte* p = Memory.TryTranslate(address, size, write: true);
        if (p is null)
        {
            SlowStore(address, size, value, pc);
            return;
        }
        switch (size)
        {
            case 1: *p = (byte)value; break;
            case 2: Unsafe.WriteUnaligned(p, (ushort)value); break;
            case 4: Unsafe.WriteUnaligned(p, (uint)value); break;
            default: Unsafe.WriteUnaligned(p, value); break;
        }
    }

    private ulong _ctxBase;
    private ulong[] _ctxPointers = System.Array.Empty<ulong>();
    private ulong[] _ctxWidePointers = System.Array.Empty<ulong>();

    /// <summary>Loads that failed the fast check: a rewritten context field, or a violation.</summary>
    public ulong SlowLoad(ulong address, int size, int pc)
    {
        // the run's context pointer fields (xdp_md->data…): answered without a region lookup
        ulong ctxOffset = address - _ctxBase;
        if (ctxOffset < (ulong)_ctxPointers.Length && (size == 4 || size == 8))
        {
            ulong pointer = size == 4 ? _ctxPointers[ctxOffset] : _ctxWidePointers[ctxOffset];
            if (pointer != 0) return pointer;
        }
        var region = Memory.RegionOf(address, out long off);
        if (region?.Virtual is { } v && off >= 0 && off + size <= region.Length && v.TryLoad((int)off, size, out ulong value))
            return value;
        throw Memory.Violation(address, size, false, pc);
    }

    public void SlowStore(ulong address, int size, ulong value, int pc)
    {
        var region = Memory.RegionOf(address, out long off);
        if (region?.Virtual is { } v && off >= 0 && off + size <= region.Length && v.TryStore((int)off, size, value))
            return;
        throw Memory.Violation(address, size, true, pc);
    }

    /// <summary>
    /// STX|ATOMIC on [address]: returns the new value of src (the old memory value for fetch forms
    /// and xchg; src unchanged otherwise); cmpxchg updates r0 with the old value. 32-bit forms
    /// zero-extend what they return.
    /// </summary>
    public ulong Atomic(int op, int size, ulong address, ulong src, ref ulong r0, int pc)
    {
        byte* p = Memory.TryTranslate(address, size, write: true);
        if (p is null || Memory.TryTranslate(address, size, write: false) is null)
            throw Memory.Violation(address, size, true, pc, $"atomic {(AtomicOp)op} of {size} bytes");
        ulong old = size == 4 ? Unsafe.ReadUnaligned<uint>(p) : Unsafe.ReadUnaligned<ulong>(p);
        ulong operand = size == 4 ? (uint)src : src;
        ulong result;
        switch ((AtomicOp)op)
        {
            case AtomicOp.Add or AtomicOp.FetchAdd: result = old + operand; break;
            case AtomicOp.Or or AtomicOp.FetchOr: result = old | operand; break;
            case AtomicOp.And or AtomicOp.FetchAnd: result = old & operand; break;
            case AtomicOp.Xor or AtomicOp.FetchXor: result = old ^ operand; break;
            case AtomicOp.Xchg: result = operand; break;
            case AtomicOp.CmpXchg:
                ulong expected = size == 4 ? (uint)r0 : r0;
                result = old == expected ? operand : old;
                r0 = old;
                break;
            default: throw new BpfVmException(VmErrorKind.InvalidInstruction, pc, $"unknown atomic operation 0x{op:x}");
        }
        if (size == 4) Unsafe.WriteUnaligned(p, (uint)result);
        else Unsafe.WriteUnaligned(p, result);
        bool fetch = ((AtomicOp)op & AtomicOp.FetchAdd) != 0 && (AtomicOp)op != AtomicOp.CmpXchg;
        return fetch ? old : src;
    }

    /// <summary>LD_ABS/LD_IND: r0 = ntoh(packet[offset..offset+size]); out of bounds ends the program with 0.</summary>
    public ulong LegacyPacketLoad(long offset, int size, int pc)
    {
        var packet = CurrentContext?.LegacyPacket
            ?? throw new BpfVmException(VmErrorKind.InvalidInstruction, pc, "LD_ABS/LD_IND need a socket-buffer context with a packet");
        if (offset < 0 || offset + size > packet.Length) throw new LegacyPacketAbort();
        var s = packet.Span.Slice((int)offset, size);
        return size switch
        {
            1 => s[0],
            2 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(s),
            _ => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(s),
        };
    }

    // ---------------------------------------------------------------- calls

    public ulong CallHelper(int id, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, int pc)
    {
        if (!Helpers.TryGet(id, out var helper, out _))
            throw new BpfVmException(VmErrorKind.UnknownHelper, pc, $"helper {id} is not provided by the VM");
        return helper(this, new HelperArgs(r1, r2, r3, r4, r5, pc));
    }

    public ulong CallKfunc(int btfId, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, int pc)
    {
        if (!Kfuncs.TryGet(btfId, out var impl, out _))
            throw new BpfVmException(VmErrorKind.UnknownHelper, pc, $"kfunc with BTF id {btfId} is not provided by the VM");
        return impl(this, new HelperArgs(r1, r2, r3, r4, r5, pc));
    }

    /// <summary>bpf_tail_call(ctx, prog_array, index): the program to continue in, or null to fall through.</summary>
    internal VmProgram? TryTailCall(ulong mapAddress, ulong index, int pc)
    {
        var map = ResolveMap(mapAddress, pc, "r2");
        if (map is not ProgArrayMap progs)
            throw new BpfVmException(VmErrorKind.BadHelperArgument, pc, $"bpf_tail_call needs a prog_array map, not '{map.Name}' ({map.Type})");
        if (index >= (ulong)progs.MaxEntries) return null;
        if (TailCalls >= MaxTailCalls) return null;
        var target = progs.Get((uint)index);
        if (target is null) return null;
        if (target.Machine != this)
            throw new BpfVmException(VmErrorKind.BadHelperArgument, pc, "prog_array holds a program of another machine");
        TailCalls++;
        CurrentProgram = target;
        return target;
    }

    /// <summary>Resolves a callx target (an address made by LD_IMM64 with BPF_PSEUDO_FUNC) to a function entry.</summary>
    internal int ResolveFunction(VmProgram program, ulong address, int pc)
    {
        var region = Memory.RegionOf(address, out long off);
        if (region is not null && region == program.CodeRegion && off >= 0 && off % 8 == 0 && off / 8 < program.Decoded.Length &&
            program.Decoded.FunctionEntries.Contains((int)(off / 8)))
            return (int)(off / 8);
        throw new BpfVmException(VmErrorKind.InvalidInstruction, pc, $"callx target 0x{address:x} is not a function of '{program.Name}'");
    }

    public void Dispose() => Memory.Dispose();
}

/// <summary>Thrown inside an engine when LD_ABS/LD_IND read past the packet: the run returns 0.</summary>
internal sealed class LegacyPacketAbort : Exception
{
}

/// <summary>Where bpf_redirect/bpf_redirect_map asked the packet to go.</summary>
public sealed record RedirectTarget(string Map, ulong Key, uint Ifindex);
