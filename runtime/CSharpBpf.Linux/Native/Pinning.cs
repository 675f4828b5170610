using System.Text;

namespace CSharpBpf.Linux.Native;

/// <summary>BPF_OBJ_PIN / BPF_OBJ_GET: naming BPF objects in a bpffs (normally /sys/fs/bpf).</summary>
public static unsafe class Pinning
{
    public const string DefaultRoot = "/sys/fs/bpf";

    public static void Pin(BpfFd fd, string path, string what)
    {
        var p = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = p)
        {
            var attr = new ObjAttr { Pathname = (ulong)pp, BpfFd = (uint)fd.Value };
            BpfSyscall.Invoke(BpfCommand.ObjPin, ref attr, $"{what} at {path}");
        }
    }

    public static BpfFd Get(string path)
    {
        var p = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = p)
        {
            var attr = new ObjAttr { Pathname = (ulong)pp };
            return BpfSyscall.InvokeFd(BpfCommand.ObjGet, ref attr, path);
        }
    }

    /// <summary>Opens a pinned object, or null when nothing is pinned at path.</summary>
    public static BpfFd? TryGet(string path)
    {
        var p = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pp = p)
        {
            var attr = new ObjAttr { Pathname = (ulong)pp };
            long r = BpfSyscall.TryInvoke(BpfCommand.ObjGet, ref attr);
            if (r == -Errno.ENOENT) return null;
            if (r < 0) throw new BpfSyscallException("BPF_OBJ_GET", (int)-r, path);
            return new BpfFd((int)r);
        }
    }
}
