using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>
/// A file descriptor bpf(2) returned (program, map, BTF). Closing it is the only cleanup the kernel
/// needs for objects nothing else holds, so tests leave no kernel state behind when they dispose it;
/// the finalizer closes one a test forgot.
/// </summary>
public sealed class RawBpfFd : SafeHandle
{
    /// <param name="fd">The descriptor.</param>
    /// <param name="ownsHandle">False to borrow an fd someone else closes (Dispose then leaves it open).</param>
    public RawBpfFd(int fd, bool ownsHandle = true) : base(new IntPtr(-1), ownsHandle)
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number, e.g. to patch into an ld_imm64 map reference.</summary>
    public int Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (int)handle.ToInt64();
        }
    }

    /// <summary>
    /// Hands the descriptor to a caller that manages a plain int from now on: this object no longer
    /// closes it (neither on Dispose nor when finalized).
    /// </summary>
    public int ReleaseOwnership()
    {
        int fd = Value;
        SetHandleAsInvalid();
        return fd;
    }

    protected override bool ReleaseHandle() => Native.close((int)handle.ToInt64()) == 0;
}
