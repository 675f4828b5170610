using System;

namespace CSharpBpf.TestSupport.RawBpf;

public static unsafe partial class BpfSyscall
{
    /// <summary>Loads raw BTF; a refusal throws <see cref="BpfSyscallException"/> carrying the BTF verifier's log.</summary>
    public static RawBpfFd BtfLoad(byte[] btf, KernelLog log = KernelLog.OnFailure, int logSize = 1 << 20) =>
        TryBtfLoad(btf, log, logSize).TakeFd();

    /// <summary>Loads raw BTF and reports the verdict, errno and log without throwing on a refusal.</summary>
    public static BpfLoadResult TryBtfLoad(byte[] btf, KernelLog log = KernelLog.OnFailure, int logSize = 1 << 20)
    {
        if (btf.Length == 0) throw new ArgumentException("BTF is empty", nameof(btf));
        return LogRetry.Load(BpfCommand.BPF_BTF_LOAD, log, logSize, logBuffer =>
        {
            byte* attr = stackalloc byte[Native.AttrSize];
            new Span<byte>(attr, Native.AttrSize).Clear();
            fixed (byte* data = btf, logBuf = logBuffer)
            {
                *(ulong*)(attr + 0) = (ulong)data;
                *(uint*)(attr + 16) = (uint)btf.Length;
                if (logBuffer is not null)
                {
                    *(ulong*)(attr + 8) = (ulong)logBuf;
                    *(uint*)(attr + 20) = (uint)logBuffer.Length;
                    *(uint*)(attr + 24) = 1;
                }
                return Native.Bpf(BpfCommand.BPF_BTF_LOAD, attr);
            }
        });
    }
}
