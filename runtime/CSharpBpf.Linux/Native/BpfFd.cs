using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Linux.Native;

/// <summary>An owned file descriptor (BPF object, cgroup dir, netns…): closed exactly once when disposed or finalized.</summary>
public sealed class BpfFd : SafeHandle
{
    public BpfFd(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The raw descriptor number (valid while this handle is alive and not disposed).</summary>
    public int Value
    {
        get
        {
            if (IsClosed) throw new ObjectDisposedException(nameof(BpfFd));
            return (int)handle.ToInt64();
        }
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle.ToInt64()) == 0;

    public override string ToString() => IsClosed ? "fd(closed)" : $"fd({(int)handle.ToInt64()})";
}
