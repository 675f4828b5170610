using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Execution;
using CSharpBpf.Vm.Jit;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm;

/// <summary>The program types the VM gives contexts for (kernel enum bpf_prog_type spelling in comments).</summary>
public enum ProgramType
{
    Unspecified,
    SocketFilter,   // BPF_PROG_TYPE_SOCKET_FILTER
    SchedCls,       // BPF_PROG_TYPE_SCHED_CLS
    Xdp,            // BPF_PROG_TYPE_XDP
    CgroupSkb,      // BPF_PROG_TYPE_CGROUP_SKB
    SockOps,        // BPF_PROG_TYPE_SOCK_OPS
    CgroupSysctl,   // BPF_PROG_TYPE_CGROUP_SYSCTL
    CgroupSockopt,  // BPF_PROG_TYPE_CGROUP_SOCKOPT
    StructOps,      // BPF_PROG_TYPE_STRUCT_OPS
    RawTracepoint,  // BPF_PROG_TYPE_RAW_TRACEPOINT
    Tracing,        // BPF_PROG_TYPE_TRACING (tp_btf, fentry, fexit)
    Extension,      // BPF_PROG_TYPE_EXT (freplace)
}

/// <summary>A program loaded into a <see cref="BpfMachine"/>: decoded once, JIT-compiled on first JIT run.</summary>
public sealed class VmProgram
{
    private JitProgram? _jit;

    internal VmProgram(BpfMachine machine, IReadOnlyList<Instruction> instructions, ProgramType type, ProgramReferences references, string name)
    {
        Machine = machine;
        Name = name;
        Type = type;
        Instructions = instructions;
        References = references;
        CodeRegion = machine.Memory.Add("code:" + name, RegionKind.Code, 0, writable: false, readable: false, owner: this);
        Decoded = DecodedProgram.Decode(instructions, references, CodeRegion.Address);
        Machine.Memory.Resize(CodeRegion, instructions.Count * 8);
    }

    public BpfMachine Machine { get; }
    public string Name { get; }
    public ProgramType Type { get; }
    public IReadOnlyList<Instruction> Instructions { get; }

    internal DecodedProgram Decoded { get; }

    /// <summary>The maps and symbols the program was loaded with (kept so a relinked copy, e.g. after a function replacement, resolves the same).</summary>
    internal ProgramReferences References { get; }

    /// <summary>Function addresses (BPF_PSEUDO_FUNC) point here: callable, never readable.</summary>
    internal MemoryRegion CodeRegion { get; }

    internal JitProgram JitCode => _jit ??= JitCompiler.Compile(this);

    /// <summary>Compiles for the JIT engine now (otherwise it happens on the first JIT run).</summary>
    public void PrepareJit() => _ = JitCode;

    /// <summary>Runs with r1 = <paramref name="r1"/>; returns r0.</summary>
    public ulong Run(ulong r1 = 0) => Machine.Run(this, r1);

    /// <summary>Runs on a context (packet, sock_ops, …), which is attached before and detached after.</summary>
    public ulong Run(ProgramContext context)
    {
        ulong r1 = context.Attach(Machine);
        try
        {
            return Machine.Run(this, r1, context);
        }
        finally
        {
            context.Detach(Machine);
        }
    }
}
