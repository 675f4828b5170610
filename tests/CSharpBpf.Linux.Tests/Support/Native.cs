using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace CSharpBpf.Linux.Tests.Support;

/// <summary>libc calls the kernel tests need, with errno.</summary>
internal static unsafe class TestNative
{
    public const int CLONE_NEWNET = 0x40000000;
    public const long SYS_getppid = 110, SYS_gettid = 186;

    [DllImport("libc", SetLastError = true)] public static extern int unshare(int flags);
    [DllImport("libc", SetLastError = true)] public static extern int getppid();
    [DllImport("libc", SetLastError = true)] public static extern long syscall(long n);
    [DllImport("libc", SetLastError = true, EntryPoint = "open")] private static extern int open_(string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern long read(int fd, byte* buf, long n);
    [DllImport("libc", SetLastError = true)] private static extern long write(int fd, byte* buf, long n);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int ioctl(int fd, ulong request, byte* arg);
    [DllImport("libc", SetLastError = true)] private static extern int socket(int domain, int type, int protocol);

    public static int GetTid() => (int)syscall(SYS_gettid);

    /// <summary>Reads a (/proc) file with raw syscalls: (text, 0) or (null, errno).</summary>
    public static (string? Text, int Errno) ReadFile(string path)
    {
        int fd = open_(path, 0);
        if (fd < 0) return (null, Marshal.GetLastPInvokeError());
        try
        {
            var buf = new byte[256];
            fixed (byte* p = buf)
            {
                long n = read(fd, p, buf.Length);
                if (n < 0) return (null, Marshal.GetLastPInvokeError());
                return (Encoding.ASCII.GetString(buf, 0, (int)n).Trim(), 0);
            }
        }
        finally { close(fd); }
    }

    /// <summary>Writes a (/proc) file; returns 0 or errno.</summary>
    public static int WriteFile(string path, string text)
    {
        int fd = open_(path, 1);
        if (fd < 0) return Marshal.GetLastPInvokeError();
        try
        {
            var b = Encoding.ASCII.GetBytes(text);
            fixed (byte* p = b)
                return write(fd, p, b.Length) < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        finally { close(fd); }
    }

    /// <summary>Sets IFF_UP on an interface of the calling thread's network namespace (SIOCGIFFLAGS/SIOCSIFFLAGS).</summary>
    public static void InterfaceUp(string name)
    {
        int s = socket(2, 2, 0);
        if (s < 0) throw new InvalidOperationException("socket: errno " + Marshal.GetLastPInvokeError());
        try
        {
            var ifr = new byte[40];
            Encoding.ASCII.GetBytes(name).CopyTo(ifr, 0);
            fixed (byte* p = ifr)
            {
                if (ioctl(s, 0x8913, p) < 0) throw new InvalidOperationException("SIOCGIFFLAGS: errno " + Marshal.GetLastPInvokeError());
                short flags = BitConverter.ToInt16(ifr, 16);
                BitConverter.GetBytes((short)(flags | 1)).CopyTo(ifr, 16);
                if (ioctl(s, 0x8914, p) < 0) throw new InvalidOperationException("SIOCSIFFLAGS: errno " + Marshal.GetLastPInvokeError());
            }
        }
        finally { close(s); }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a fresh thread moved into a new network namespace
    /// (unshare(CLONE_NEWNET) affects only the calling thread); the namespace goes away with the thread.
    /// </summary>
    public static T InPrivateNetns<T>(Func<T> body)
    {
        T result = default!;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                if (unshare(CLONE_NEWNET) != 0) throw new InvalidOperationException("unshare(CLONE_NEWNET): errno " + Marshal.GetLastPInvokeError());
                result = body();
            }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error is not null) throw new AggregateException("in the private network namespace", error);
        return result;
    }
}
