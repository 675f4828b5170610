using System.Collections.Generic;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Linux.Programs;

/// <summary>Everything BPF_PROG_LOAD takes. Instructions are final (relocations already applied).</summary>
public sealed record ProgramLoadSpec
{
    public string Name { get; init; } = "";
    public BpfProgramType Type { get; init; }
    public IReadOnlyList<Instruction> Instructions { get; init; } = System.Array.Empty<Instruction>();
    public string License { get; init; } = "GPL";
    public BpfAttachType ExpectedAttachType { get; init; } = BpfAttachType.None;
    public uint ProgramFlags { get; init; }
    public int BtfFd { get; init; }
    /// <summary>bpf_func_info records (insn_off in slots, type_id), 8 bytes each.</summary>
    public byte[]? FuncInfo { get; init; }
    /// <summary>bpf_line_info records (insn_off in slots, file_name_off, line_off, line_col), 16 bytes each.</summary>
    public byte[]? LineInfo { get; init; }
    /// <summary>The same line_info, resolved to text, used to annotate the verifier log.</summary>
    public IReadOnlyList<SourceLine> SourceLines { get; init; } = System.Array.Empty<SourceLine>();
    public uint AttachBtfId { get; init; }
    /// <summary>fd of the module BTF object holding AttachBtfId (0 = vmlinux) or, for freplace, the target program fd.</summary>
    public int AttachBtfObjOrProgFd { get; init; }
    /// <summary>fds referenced by kfunc calls' offset field (index 0 unused, as libbpf does).</summary>
    public IReadOnlyList<int>? FdArray { get; init; }
    /// <summary>Log level for the first attempt (0 = no log; the loader retries with a log on failure).</summary>
    public uint LogLevel { get; init; }
}
