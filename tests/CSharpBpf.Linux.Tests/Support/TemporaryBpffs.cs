using System;
using System.IO;
using CSharpBpf.Linux.Native;

namespace CSharpBpf.Linux.Tests.Support;

/// <summary>A bpffs mounted on a temporary directory (this machine has none at /sys/fs/bpf); unmounted and removed on Dispose.</summary>
public sealed class TemporaryBpffs : IDisposable
{
    public TemporaryBpffs()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "csbpf-bpffs-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Path);
        if (Libc.mount("bpf", Path, "bpf", 0, IntPtr.Zero) != 0)
        {
            int errno = Libc.LastErrno;
            Directory.Delete(Path);
            throw new BpfSyscallException("mount", errno, "bpffs at " + Path);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        Libc.umount2(Path, 2 /* MNT_DETACH */);
        Directory.Delete(Path, recursive: true);
    }
}
