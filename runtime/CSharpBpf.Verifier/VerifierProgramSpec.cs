using System;
using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>Everything besides the instructions that the verifier needs for one program.</summary>
public sealed class VerifierProgramSpec
{
    public VerifierProgramSpec(VerifierProgramType programType, VerifierAttachType attachType = VerifierAttachType.None)
    {
        ProgramType = programType;
        AttachType = attachType;
    }

    public string Name { get; init; } = "prog";
    public VerifierProgramType ProgramType { get; }
    public VerifierAttachType AttachType { get; }
    /// <summary>
    /// Maps by the number an ld_imm64 carries: the fd for src=1/2 (BPF_PSEUDO_MAP_FD/VALUE) or the
    /// index for src=5/6 (BPF_PSEUDO_MAP_IDX[_VALUE]).
    /// </summary>
    public IDictionary<int, MapDescriptor> Maps { get; init; } = new Dictionary<int, MapDescriptor>();
    /// <summary>Overrides the program type's default context layout.</summary>
    public ContextLayout? Context { get; init; }
    /// <summary>struct_ops/tracing arguments (pointer or scalar per u64 slot); null = all scalars.</summary>
    public IReadOnlyList<ContextArgument>? Arguments { get; init; }
    /// <summary>The object's BTF, used to type loads through PTR_TO_BTF_ID (null: such loads give scalars).</summary>
    public CSharpBpf.Object.Btf.Btf? Btf { get; init; }
    /// <summary>struct_ops may write kernel structs (the kernel allows chosen tcp_sock fields); tracing may not.</summary>
    public bool AllowBtfStores { get; init; }
    /// <summary>
    /// The struct_ops type a StructOps program implements a member of (e.g. "tcp_congestion_ops"): with
    /// <see cref="AllowBtfStores"/>, stores follow that ops' kernel rule (tcp_congestion_ops: chosen tcp_sock fields;
    /// other ops: read only). Null keeps every store allowed.
    /// </summary>
    public string? StructOpsType { get; init; }
    /// <summary>
    /// Privileged loading (CAP_BPF + CAP_PERFMON, as root): the kernel then lets programs read stack bytes
    /// never written (they read as unknown). False gives the unprivileged rule: such reads are refused.
    /// </summary>
    public bool Privileged { get; init; } = true;
    /// <summary>Bounds the analysis like the kernel's BPF_COMPLEXITY_LIMIT_INSNS.</summary>
    public int MaxProcessedInstructions { get; init; } = 1_000_000;
    /// <summary>Source location of an instruction (from line_info), or null.</summary>
    public Func<int, SourceLocation?>? SourceLines { get; init; }
    /// <summary>Subprogram starts known from the object (functions in .text); calls add the rest.</summary>
    public IReadOnlyCollection<int>? FunctionStarts { get; init; }
    /// <summary>
    /// The program's func_info (needs <see cref="Btf"/>): subprograms whose FUNC has global linkage are verified
    /// once on their own from their prototype, as the kernel does; null = every subprogram is static (no BTF).
    /// </summary>
    public IReadOnlyList<FunctionInfoRecord>? FunctionInfo { get; init; }
    /// <summary>
    /// Kernel function called by each kfunc call (src=2) instruction, by instruction index. Kfuncs the verifier
    /// models (the TCP congestion-control and RCU kfuncs the project ships) get their arguments and program type
    /// checked; others (or a call missing here) read as: arguments unchecked, r0 an unknown scalar.
    /// </summary>
    public IReadOnlyDictionary<int, string>? KfuncNames { get; init; }

    public ContextLayout EffectiveContext =>
        Context ?? (ProgramType is VerifierProgramType.StructOps or VerifierProgramType.Tracing or VerifierProgramType.RawTracepoint
            ? ContextLayouts.Arguments(Arguments?.Count ?? 12, Arguments)
            : ContextLayouts.For(ProgramType, AttachType));

    /// <summary>The return values the kernel accepts for this program type (check_return_code), or null for any.</summary>
    public (long Min, long Max)? ReturnRange => ProgramType switch
    {
        VerifierProgramType.CgroupSkb => AttachType == VerifierAttachType.CgroupInetEgress ? (0, 3) : (0, 1),
        VerifierProgramType.SockOps or VerifierProgramType.CgroupSysctl or VerifierProgramType.CgroupSockopt => (0, 1),
        _ => null,
    };

    /// <summary>Whether r0 must be initialised at exit (struct_ops members may return void).</summary>
    public bool RequiresReturnValue => ProgramType != VerifierProgramType.StructOps;
}
