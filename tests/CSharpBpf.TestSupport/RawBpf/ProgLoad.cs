using System;
using System.Text;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>What BPF_PROG_LOAD gets. Instructions are the kernel's 8-byte slots (e.g. InstructionCodec.Encode).</summary>
public sealed class ProgLoadRequest
{
    public ProgLoadRequest(uint programType, byte[] instructions)
    {
        if (instructions.Length == 0 || instructions.Length % 8 != 0)
            throw new ArgumentException($"instructions are 8-byte slots; got {instructions.Length} bytes", nameof(instructions));
        ProgramType = programType;
        Instructions = instructions;
    }

    /// <summary>enum bpf_prog_type (<see cref="ProgTypes"/>).</summary>
    public uint ProgramType { get; }

    public byte[] Instructions { get; }

    public string License { get; init; } = "GPL";

    /// <summary>Program name the kernel shows (bpftool prog): at most 15 characters, [A-Za-z0-9_.].</summary>
    public string? Name { get; init; }

    /// <summary>enum bpf_attach_type (<see cref="AttachTypes"/>), for the types that check it at load time.</summary>
    public uint ExpectedAttachType { get; init; }

    /// <summary>attach_btf_id: the BTF type a struct_ops/tracing program attaches to (vmlinux BTF; 0 = none).
    /// For struct_ops it is the ops struct (e.g. tcp_congestion_ops) and ExpectedAttachType its member index.</summary>
    public uint AttachBtfId { get; init; }

    /// <summary>BTF the func_info and line_info refer to.</summary>
    public RawBpfFd? Btf { get; init; }

    /// <summary>bpf_func_info records, 2 words each: (insn index, FUNC type id).</summary>
    public uint[]? FuncInfo { get; init; }

    /// <summary>bpf_line_info records, 4 words each: (insn index, file name offset, line offset, line &lt;&lt; 10 | column).</summary>
    public uint[]? LineInfo { get; init; }

    public KernelLog Log { get; init; } = KernelLog.OnFailure;

    public int LogSize { get; init; } = 1 << 20;
}

public static unsafe partial class BpfSyscall
{
    /// <summary>Loads the program; a refusal throws <see cref="BpfSyscallException"/> carrying the verifier log.</summary>
    public static RawBpfFd ProgLoad(ProgLoadRequest request) => TryProgLoad(request).TakeFd(request.Name);

    /// <summary>Loads the program and reports the verdict, errno and log without throwing on a refusal.</summary>
    public static BpfLoadResult TryProgLoad(ProgLoadRequest request)
    {
        byte[] name = NameBytes(request.Name);
        byte[] license = Encoding.ASCII.GetBytes(request.License + "\0");
        uint[] funcInfo = request.FuncInfo ?? System.Array.Empty<uint>();
        uint[] lineInfo = request.LineInfo ?? System.Array.Empty<uint>();
        if (funcInfo.Length % 2 != 0) throw new ArgumentException("func_info records are 2 words each", nameof(request));
        if (lineInfo.Length % 4 != 0) throw new ArgumentException("line_info records are 4 words each", nameof(request));
        return LogRetry.Load(BpfCommand.BPF_PROG_LOAD, request.Log, request.LogSize, log =>
        {
            byte* attr = stackalloc byte[Native.AttrSize];
            new Span<byte>(attr, Native.AttrSize).Clear();
            fixed (byte* insns = request.Instructions, lic = license, logBuf = log)
            fixed (uint* func = funcInfo, line = lineInfo)
            {
                *(uint*)(attr + 0) = request.ProgramType;
                *(uint*)(attr + 4) = (uint)(request.Instructions.Length / 8);
                *(ulong*)(attr + 8) = (ulong)insns;
                *(ulong*)(attr + 16) = (ulong)lic;
                if (log is not null)
                {
                    *(uint*)(attr + 24) = 1; // log_level 1: the verdict's path, enough to explain a refusal
                    *(uint*)(attr + 28) = (uint)log.Length;
                    *(ulong*)(attr + 32) = (ulong)logBuf;
                }
                name.CopyTo(new Span<byte>(attr + 48, 16));
                *(uint*)(attr + 68) = request.ExpectedAttachType;
                *(uint*)(attr + 108) = request.AttachBtfId;
                if (request.Btf is not null)
                {
                    *(uint*)(attr + 72) = (uint)request.Btf.Value;
                    if (funcInfo.Length > 0)
                    {
                        *(uint*)(attr + 76) = 8; // sizeof(struct bpf_func_info)
                        *(ulong*)(attr + 80) = (ulong)func;
                        *(uint*)(attr + 88) = (uint)(funcInfo.Length / 2);
                    }
                    if (lineInfo.Length > 0)
                    {
                        *(uint*)(attr + 92) = 16; // sizeof(struct bpf_line_info)
                        *(ulong*)(attr + 96) = (ulong)line;
                        *(uint*)(attr + 104) = (uint)(lineInfo.Length / 4);
                    }
                }
                return Native.Bpf(BpfCommand.BPF_PROG_LOAD, attr);
            }
        });
    }

    private static byte[] NameBytes(string? name)
    {
        if (name is null) return System.Array.Empty<byte>();
        if (name.Length > 15) throw new ArgumentException($"program name '{name}' is longer than the kernel's 15 characters", nameof(name));
        return Encoding.ASCII.GetBytes(name);
    }
}
