using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// A minimal raw bpf(2) client for differential tests: BPF_MAP_CREATE and BPF_PROG_LOAD with a verifier
/// log, every fd closed before returning. Kept here so the verifier tests depend on nothing but the kernel.
/// </summary>
internal static class KernelLoader
{
    private const int BpfMapCreate = 0;
    private const int BpfProgLoad = 5;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long cmd, IntPtr attr, long size);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    private static long BpfSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        _ => throw new PlatformNotSupportedException("bpf(2) syscall number unknown for " + RuntimeInformation.ProcessArchitecture),
    };

    public sealed record LoadOutcome(bool Accepted, int Errno, string Log);

    /// <summary>
    /// Creates the maps (key = the number the program's ld_imm64 carries), patches the real fds in, loads the
    /// program and reports whether the kernel's verifier accepted it.
    /// </summary>
    public static LoadOutcome Load(IReadOnlyList<Instruction> program, VerifierProgramSpec spec)
    {
        var fds = new Dictionary<int, int>();
        try
        {
            foreach (var kv in spec.Maps)
                fds[kv.Key] = CreateMap(kv.Value);
            var patched = new Instruction[program.Count];
            for (int i = 0; i < program.Count; i++)
            {
                var insn = program[i];
                if (insn.IsWideLoad && insn.Src is 1 or 2 && fds.TryGetValue(insn.Imm, out var fd)) insn = insn.WithImm(fd);
                patched[i] = insn;
            }
            return LoadProgram(patched, spec);
        }
        finally
        {
            foreach (var fd in fds.Values) close(fd);
        }
    }

    private static int CreateMap(MapDescriptor m)
    {
        var attr = Marshal.AllocHGlobal(128);
        try
        {
            Zero(attr, 128);
            Marshal.WriteInt32(attr, 0, (int)m.Type);
            Marshal.WriteInt32(attr, 4, (int)m.KeySize);
            Marshal.WriteInt32(attr, 8, (int)m.ValueSize);
            Marshal.WriteInt32(attr, 12, (int)m.MaxEntries);
            // BPF_F_RDONLY_PROG (1 << 7) for read-only global data, as libbpf creates .rodata.
            Marshal.WriteInt32(attr, 16, (int)(m.Flags | (m.IsReadOnly ? 0x80u : 0u)));
            long fd = syscall(BpfSyscallNumber, BpfMapCreate, attr, 128);
            if (fd < 0) throw new InvalidOperationException($"BPF_MAP_CREATE {m.Name} failed: errno {Marshal.GetLastWin32Error()}");
            return (int)fd;
        }
        finally { Marshal.FreeHGlobal(attr); }
    }

    private static LoadOutcome LoadProgram(Instruction[] program, VerifierProgramSpec spec)
    {
        const int logSize = 1 << 20;
        var insns = Marshal.AllocHGlobal(program.Length * 8);
        var license = Marshal.StringToHGlobalAnsi("GPL");
        var log = Marshal.AllocHGlobal(logSize);
        var attr = Marshal.AllocHGlobal(160);
        try
        {
            for (int i = 0; i < program.Length; i++)
            {
                var p = program[i];
                Marshal.WriteByte(insns, i * 8, p.Opcode);
                Marshal.WriteByte(insns, i * 8 + 1, (byte)(p.Dst | p.Src << 4));
                Marshal.WriteInt16(insns, i * 8 + 2, p.Offset);
                Marshal.WriteInt32(insns, i * 8 + 4, p.Imm);
            }
            Zero(attr, 160);
            Zero(log, 16);
            Marshal.WriteInt32(attr, 0, (int)spec.ProgramType);
            Marshal.WriteInt32(attr, 4, program.Length);
            Marshal.WriteInt64(attr, 8, insns.ToInt64());
            Marshal.WriteInt64(attr, 16, license.ToInt64());
            Marshal.WriteInt32(attr, 24, 1);
            Marshal.WriteInt32(attr, 28, logSize);
            Marshal.WriteInt64(attr, 32, log.ToInt64());
            Marshal.WriteInt32(attr, 68, spec.AttachType switch
            {
                VerifierAttachType.CgroupInetIngress => 0,
                VerifierAttachType.CgroupInetEgress => 1,
                VerifierAttachType.CgroupGetsockopt => 21,
                VerifierAttachType.CgroupSetsockopt => 22,
                _ when spec.ProgramType == VerifierProgramType.CgroupSysctl => 18,
                _ when spec.ProgramType == VerifierProgramType.SockOps => 3,
                _ => 0,
            });
            long fd = syscall(BpfSyscallNumber, BpfProgLoad, attr, 160);
            int errno = fd < 0 ? Marshal.GetLastWin32Error() : 0;
            string text = Marshal.PtrToStringAnsi(log) ?? "";
            if (fd >= 0) close((int)fd);
            return new LoadOutcome(fd >= 0, errno, text);
        }
        finally
        {
            Marshal.FreeHGlobal(insns);
            Marshal.FreeHGlobal(license);
            Marshal.FreeHGlobal(log);
            Marshal.FreeHGlobal(attr);
        }
    }

    private static void Zero(IntPtr p, int n)
    {
        for (int i = 0; i < n; i++) Marshal.WriteByte(p, i, 0);
    }
}
