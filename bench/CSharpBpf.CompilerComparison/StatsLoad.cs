using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using CSharpBpf.Linux.Native;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.CompilerComparison;

/// <summary>
/// One BPF_PROG_LOAD with log_level = BPF_LOG_STATS (4), which makes the kernel end the log with
/// "processed N insns (limit 1000000) max_states_per_insn …" even when the program is accepted.
/// CSharpBpf.Linux's loader only returns a log when a load fails, so this replays the program it
/// linked (final instructions, map fds already patched, the object's BTF and func_info) once more.
/// </summary>
internal static unsafe class StatsLoad
{
    private const uint BpfLogStats = 4;
    private const int ProgLoad = 5; // BPF_PROG_LOAD

    public static string Load(uint progType, uint expectedAttachType, IReadOnlyList<Instruction> instructions, string license,
        int btfFd, byte[]? funcInfo)
    {
        var insns = new ulong[instructions.Count];
        for (int i = 0; i < insns.Length; i++)
        {
            var x = instructions[i];
            insns[i] = x.Opcode | (ulong)x.Dst << 8 | (ulong)x.Src << 12 | (ulong)(ushort)x.Offset << 16 | (ulong)(uint)x.Imm << 32;
        }
        byte[] lic = Encoding.ASCII.GetBytes(license + "\0");
        byte[] log = new byte[1 << 16];
        byte[] attr = new byte[144];
        fixed (ulong* pi = insns) fixed (byte* pl = lic) fixed (byte* pb = log) fixed (byte* pf = funcInfo) fixed (byte* a = attr)
        {
            Put32(a, 0, progType);
            Put32(a, 4, (uint)insns.Length);
            Put64(a, 8, (ulong)pi);
            Put64(a, 16, (ulong)pl);
            Put32(a, 24, BpfLogStats);
            Put32(a, 28, (uint)log.Length);
            Put64(a, 32, (ulong)pb);
            Put32(a, 68, expectedAttachType);
            if (btfFd > 0 && funcInfo is { Length: > 0 })
            {
                Put32(a, 72, (uint)btfFd);
                Put32(a, 76, 8);                       // func_info_rec_size
                Put64(a, 80, (ulong)pf);
                Put32(a, 88, (uint)(funcInfo.Length / 8));
            }
            long fd = Libc.syscall(SyscallNumber(), ProgLoad, a, attr.Length);
            int errno = fd < 0 ? Libc.LastErrno : 0;
            string text = Encoding.UTF8.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).TrimEnd('\n');
            if (fd < 0) throw new InvalidOperationException($"BPF_PROG_LOAD with log_level 4 failed: {Errno.Name(errno)} {Errno.Describe(errno)}\n{text}");
            Libc.close((int)fd);
            return text;
        }
    }

    private static void Put32(byte* p, int off, uint v) => *(uint*)(p + off) = v;
    private static void Put64(byte* p, int off, ulong v) => *(ulong*)(p + off) = v;

    private static long SyscallNumber() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 280,
        var a => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {a}"),
    };
}
