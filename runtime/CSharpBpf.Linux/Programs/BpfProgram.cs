using System;
using System.Collections.Generic;
using System.Text;
using CSharpBpf.Linux.Native;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Linux.Programs;

/// <summary>A loaded kernel program owned through its fd.</summary>
public sealed unsafe class BpfProgram : IDisposable
{
    private const int InfoSize = 232;

    private BpfProgram(BpfFd fd, string name, BpfProgramType type, BpfAttachType expectedAttachType)
    {
        Fd = fd;
        Name = name;
        Type = type;
        ExpectedAttachType = expectedAttachType;
    }

    public BpfFd Fd { get; }
    public string Name { get; }
    public BpfProgramType Type { get; }
    public BpfAttachType ExpectedAttachType { get; }
    /// <summary>For tracing/ext programs: the kernel function name the program attaches to.</summary>
    public string? AttachTo { get; internal set; }
    /// <summary>The libbpf section name the program came from (empty when built by hand).</summary>
    public string SectionName { get; internal set; } = "";

    public uint Id => ObjectInfo.U32(Info(), 4);

    /// <summary>
    /// BPF_PROG_LOAD. On failure the load is retried with a verifier log (level 1, then 1|2 with a
    /// 16 MiB buffer if the first log came back empty or truncated), and the log is annotated with source lines.
    /// </summary>
    public static BpfProgram Load(ProgramLoadSpec spec)
    {
        long r = TryLoad(spec, spec.LogLevel, spec.LogLevel == 0 ? 0 : 1 << 20, out string log);
        if (r >= 0) return new BpfProgram(new BpfFd((int)r), spec.Name, spec.Type, spec.ExpectedAttachType);
        int errno = (int)-r;
        if (log.Length == 0 && errno != Errno.EPERM)
        {
            r = TryLoad(spec, 1, 1 << 20, out log);
            if (r < 0 && (log.Length == 0 || -r == Errno.ENOSPC)) r = TryLoad(spec, 1 | 2, 16 << 20, out log);
            if (r >= 0)
            {
                // The kernel accepted it with a log (e.g. a transient failure): keep the program.
                return new BpfProgram(new BpfFd((int)r), spec.Name, spec.Type, spec.ExpectedAttachType);
            }
            if (-r != Errno.ENOSPC) errno = (int)-r;
        }
        throw new BpfProgramLoadException(spec.Name, errno, log, VerifierLogAnnotator.Annotate(log, spec.SourceLines));
    }

    private static long TryLoad(ProgramLoadSpec spec, uint logLevel, int logSize, out string log)
    {
        var insns = new ulong[spec.Instructions.Count];
        for (int i = 0; i < insns.Length; i++) insns[i] = Encode(spec.Instructions[i]);
        var license = Encoding.ASCII.GetBytes(spec.License + "\0");
        var logBuf = logSize > 0 ? new byte[logSize] : null;
        int[]? fdArray = null;
        if (spec.FdArray is { Count: > 0 })
        {
            fdArray = new int[spec.FdArray.Count];
            for (int i = 0; i < fdArray.Length; i++) fdArray[i] = spec.FdArray[i];
        }
        fixed (ulong* pi = insns) fixed (byte* pl = license) fixed (byte* pb = logBuf)
        fixed (byte* pf = spec.FuncInfo) fixed (byte* pli = spec.LineInfo) fixed (int* pfd = fdArray)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = (uint)spec.Type,
                InsnCnt = (uint)insns.Length,
                Insns = (ulong)pi,
                License = (ulong)pl,
                LogLevel = logBuf is null ? 0 : logLevel,
                LogSize = logBuf is null ? 0 : (uint)logBuf.Length,
                LogBuf = (ulong)pb,
                ProgFlags = spec.ProgramFlags,
                ExpectedAttachType = spec.ExpectedAttachType == BpfAttachType.None ? 0 : (uint)spec.ExpectedAttachType,
                ProgBtfFd = (uint)spec.BtfFd,
                AttachBtfId = spec.AttachBtfId,
                AttachProgFdOrBtfObjFd = (uint)spec.AttachBtfObjOrProgFd,
                FdArray = (ulong)pfd,
            };
            if (spec.FuncInfo is { Length: > 0 } && spec.BtfFd > 0)
            {
                attr.FuncInfoRecSize = 8;
                attr.FuncInfo = (ulong)pf;
                attr.FuncInfoCnt = (uint)(spec.FuncInfo.Length / 8);
            }
            if (spec.LineInfo is { Length: > 0 } && spec.BtfFd > 0)
            {
                attr.LineInfoRecSize = 16;
                attr.LineInfo = (ulong)pli;
                attr.LineInfoCnt = (uint)(spec.LineInfo.Length / 16);
            }
            BpfMap_WriteName(attr.ProgName, spec.Name);
            long r = BpfSyscall.TryInvoke(BpfCommand.ProgLoad, ref attr);
            log = logBuf is null ? "" : CString(logBuf);
            return r;
        }
    }

    private static void BpfMap_WriteName(byte* dst, string name) => Maps.BpfMap.WriteObjName(dst, name);

    private static string CString(byte[] b)
    {
        int n = Array.IndexOf(b, (byte)0);
        return Encoding.UTF8.GetString(b, 0, n < 0 ? b.Length : n).TrimEnd('\n');
    }

    /// <summary>Little-endian slot encoding the kernel expects on this (little-endian) host.</summary>
    internal static ulong Encode(Instruction i) =>
        i.Opcode | (ulong)i.Dst << 8 | (ulong)i.Src << 12 | (ulong)(ushort)i.Offset << 16 | (ulong)(uint)i.Imm << 32;

    public static BpfProgram FromFd(BpfFd fd)
    {
        var info = new byte[InfoSize];
        ObjectInfo.Get(fd.Value, info, "program");
        return new BpfProgram(fd, ObjectInfo.CString(info, 64, 16), (BpfProgramType)ObjectInfo.U32(info, 0), BpfAttachType.None);
    }

    public static BpfProgram? FromId(uint id)
    {
        var fd = ObjectInfo.FdById(BpfCommand.ProgGetFdById, id);
        return fd is null ? null : FromFd(fd);
    }

    public static BpfProgram FromPin(string path) => FromFd(Pinning.Get(path));

    public byte[] Info()
    {
        var info = new byte[InfoSize];
        ObjectInfo.Get(Fd.Value, info, $"program '{Name}'");
        return info;
    }

    /// <summary>Ids of the maps this program uses (bpf_prog_info.map_ids).</summary>
    public uint[] MapIds()
    {
        var info = Info();
        uint n = ObjectInfo.U32(info, 52);
        var ids = new uint[n];
        if (n == 0) return ids;
        fixed (uint* p = ids)
        {
            var req = new byte[InfoSize];
            BitConverter.GetBytes(n).CopyTo(req, 52);
            BitConverter.GetBytes((ulong)p).CopyTo(req, 56);
            ObjectInfo.Get(Fd.Value, req, $"program '{Name}'");
        }
        return ids;
    }

    public void Pin(string path) => Pinning.Pin(Fd, path, $"program '{Name}'");

    /// <summary>BPF_PROG_TEST_RUN with packet data and/or a context.</summary>
    public TestRunResult TestRun(byte[]? data = null, byte[]? context = null, uint repeat = 1, int dataOutSize = -1, int contextOutSize = -1, uint flags = 0)
    {
        var dataOut = data is null ? null : new byte[dataOutSize >= 0 ? dataOutSize : data.Length + 256];
        var ctxOut = context is null ? null : new byte[contextOutSize >= 0 ? contextOutSize : context.Length];
        fixed (byte* di = data) fixed (byte* dout = dataOut) fixed (byte* ci = context) fixed (byte* cout = ctxOut)
        {
            var attr = new TestRunAttr
            {
                ProgFd = (uint)Fd.Value,
                DataIn = (ulong)di,
                DataSizeIn = (uint)(data?.Length ?? 0),
                DataOut = (ulong)dout,
                DataSizeOut = (uint)(dataOut?.Length ?? 0),
                CtxIn = (ulong)ci,
                CtxSizeIn = (uint)(context?.Length ?? 0),
                CtxOut = (ulong)cout,
                CtxSizeOut = (uint)(ctxOut?.Length ?? 0),
                Repeat = repeat,
                Flags = flags,
            };
            BpfSyscall.Invoke(BpfCommand.ProgTestRun, ref attr, $"program '{Name}' ({Type})");
            byte[]? d = dataOut is null ? null : dataOut.AsSpan(0, (int)Math.Min(attr.DataSizeOut, (uint)dataOut.Length)).ToArray();
            byte[]? c = ctxOut is null ? null : ctxOut.AsSpan(0, (int)Math.Min(attr.CtxSizeOut, (uint)ctxOut.Length)).ToArray();
            return new TestRunResult(attr.Retval, d, c, attr.Duration);
        }
    }

    public void Dispose() => Fd.Dispose();

    public override string ToString() => $"program '{Name}' ({Type}, {Fd})";
}

/// <summary>Result of BPF_PROG_TEST_RUN: return value, output packet and context, and the average duration in ns.</summary>
public sealed record TestRunResult(uint ReturnValue, byte[]? DataOut, byte[]? ContextOut, uint DurationNs);
