using System;
using System.Text;
using CSharpBpf.Linux.Native;

namespace CSharpBpf.Linux.KernelTypes;

/// <summary>BPF_BTF_LOAD; on failure retries with a log so the exception says what the kernel disliked.</summary>
public static unsafe class BtfLoader
{
    public static BpfFd Load(byte[] btf)
    {
        long r = TryLoad(btf, null);
        if (r >= 0) return new BpfFd((int)r);
        var log = new byte[1 << 20];
        long r2 = TryLoad(btf, log);
        if (r2 >= 0) return new BpfFd((int)r2);
        int n = Array.IndexOf(log, (byte)0);
        string text = Encoding.UTF8.GetString(log, 0, n < 0 ? log.Length : n).Trim();
        throw new BpfSyscallException("BPF_BTF_LOAD", (int)-r, $"BTF of {btf.Length} bytes", text.Length > 0 ? "kernel log: " + LastLines(text, 6) : null);
    }

    private static long TryLoad(byte[] btf, byte[]? log)
    {
        fixed (byte* pb = btf) fixed (byte* pl = log)
        {
            var attr = new BtfLoadAttr
            {
                Btf = (ulong)pb,
                BtfSize = (uint)btf.Length,
                BtfLogBuf = (ulong)pl,
                BtfLogSize = (uint)(log?.Length ?? 0),
                BtfLogLevel = log is null ? 0u : 1u,
            };
            return BpfSyscall.TryInvoke(BpfCommand.BtfLoad, ref attr);
        }
    }

    private static string LastLines(string s, int n)
    {
        var lines = s.Split('\n');
        return string.Join(" | ", lines, Math.Max(0, lines.Length - n), Math.Min(n, lines.Length));
    }
}
