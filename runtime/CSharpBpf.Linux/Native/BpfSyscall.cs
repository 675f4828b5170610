using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Linux.Native;

/// <summary>bpf(2) through libc's syscall(): the number is per architecture.</summary>
internal static unsafe class BpfSyscall
{
    private static readonly long Number = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        Architecture.RiscV64 => 280,
        Architecture.LoongArch64 => 280,
        Architecture.Arm => 386,
        Architecture.X86 => 357,
        Architecture.S390x => 351,
        Architecture.Ppc64le => 361,
        var a => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {a}"),
    };

    /// <summary>Runs the command; returns the non-negative result, or -errno.</summary>
    public static long TryInvoke<T>(BpfCommand cmd, ref T attr) where T : unmanaged
    {
        fixed (T* p = &attr)
        {
            long r = Libc.syscall(Number, (long)cmd, p, sizeof(T));
            return r < 0 ? -Libc.LastErrno : r;
        }
    }

    /// <summary>Runs the command; throws <see cref="BpfSyscallException"/> naming it on failure.</summary>
    public static long Invoke<T>(BpfCommand cmd, ref T attr, string? context = null) where T : unmanaged
    {
        long r = TryInvoke(cmd, ref attr);
        if (r < 0) throw new BpfSyscallException(CommandName(cmd), (int)-r, context);
        return r;
    }

    /// <summary>Runs a command that returns a new fd, wrapped so it is closed when disposed.</summary>
    public static BpfFd InvokeFd<T>(BpfCommand cmd, ref T attr, string? context = null) where T : unmanaged
        => new((int)Invoke(cmd, ref attr, context));

    /// <summary>"BPF_MAP_CREATE" from <see cref="BpfCommand.MapCreate"/>.</summary>
    public static string CommandName(BpfCommand cmd)
    {
        var name = cmd.ToString();
        var sb = new System.Text.StringBuilder("BPF");
        foreach (char c in name)
        {
            if (char.IsUpper(c)) sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }

    public static ulong Ptr(void* p) => (ulong)p;
}
