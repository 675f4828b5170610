using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>
/// Proves the writer produces what the kernel's BPF_BTF_LOAD accepts, through a raw bpf(2) call
/// kept inside this test project (the Object layer must not know about the kernel).
/// </summary>
public class BtfKernelLoadTests
{
    [SkippableFact]
    public void Kernel_accepts_our_BTF_with_every_kind_it_allows()
    {
        KernelSkip.UnlessBpfAllowed();
        byte[] bytes = BtfWriter.Write(BtfSamples.KernelLoadable());
        var (fd, errno, log) = RawBtfLoad.Load(bytes);
        try
        {
            Assert.True(fd >= 0, $"BTF_LOAD failed: errno {errno}\n{log}");
        }
        finally
        {
            RawBtfLoad.Close(fd);
        }
    }

    [SkippableFact]
    public void Kernel_accepts_vmlinux_BTF_as_our_writer_rewrites_it()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.IfNot(File.Exists("/sys/kernel/btf/vmlinux"), "no /sys/kernel/btf/vmlinux");
        byte[] bytes = BtfWriter.Write(BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux")));
        var (fd, errno, log) = RawBtfLoad.Load(bytes);
        try
        {
            Assert.True(fd >= 0, $"BTF_LOAD failed: errno {errno}\n{log}");
        }
        finally
        {
            RawBtfLoad.Close(fd);
        }
    }

    [SkippableFact]
    public void Kernel_rejects_a_member_beyond_its_struct_so_the_load_test_can_fail()
    {
        KernelSkip.UnlessBpfAllowed();
        var btf = new CSharpBpf.Object.Btf.Btf();
        var i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        btf.AddStruct("small", 4).AddMember("far", i.Id, 64);
        var (fd, errno, log) = RawBtfLoad.Load(BtfWriter.Write(btf));
        RawBtfLoad.Close(fd);
        Assert.True(fd < 0);
        Assert.Equal(22, errno); // EINVAL
        Assert.Contains("small", log); // the BTF verifier log names the offending struct
    }

    private static class RawBtfLoad
    {
        private const int BpfBtfLoad = 18;

        [StructLayout(LayoutKind.Sequential)]
        private struct BtfLoadAttr
        {
            public ulong Btf;
            public ulong LogBuf;
            public uint BtfSize;
            public uint LogSize;
            public uint LogLevel;
            public uint LogTrueSize;
            public uint Flags;
            public int TokenFd;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern unsafe long syscall(long number, long cmd, void* attr, long size);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        private static long SysBpf => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 321,
            Architecture.Arm64 => 280,
            _ => throw new PlatformNotSupportedException("bpf(2) syscall number unknown for " + RuntimeInformation.ProcessArchitecture),
        };

        /// <summary>Loads without a log (a log of every type overflows for vmlinux); on failure retries with one.</summary>
        public static (int Fd, int Errno, string Log) Load(byte[] btf)
        {
            var quiet = Load(btf, logSize: 0);
            return quiet.Fd >= 0 ? quiet : Load(btf, logSize: 1 << 20);
        }

        private static unsafe (int Fd, int Errno, string Log) Load(byte[] btf, int logSize)
        {
            var log = new byte[Math.Max(1, logSize)];
            fixed (byte* data = btf)
            fixed (byte* logBuf = log)
            {
                var attr = new BtfLoadAttr
                {
                    Btf = (ulong)data,
                    BtfSize = (uint)btf.Length,
                    LogBuf = logSize == 0 ? 0 : (ulong)logBuf,
                    LogSize = (uint)logSize,
                    LogLevel = logSize == 0 ? 0u : 1u,
                };
                long fd = syscall(SysBpf, BpfBtfLoad, &attr, sizeof(BtfLoadAttr));
                int errno = fd < 0 ? Marshal.GetLastWin32Error() : 0;
                int end = Array.IndexOf(log, (byte)0);
                return ((int)fd, errno, Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end));
            }
        }

        public static void Close(int fd)
        {
            if (fd >= 0) close(fd);
        }
    }
}
