using System;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>What BPF_PROG_TEST_RUN gets: packet data and/or a context in, how much of each to read back, how often to run.</summary>
public sealed class TestRunRequest
{
    public byte[]? DataIn { get; init; }

    /// <summary>Room for the data afterwards; null = the input's length plus 256 (XDP may grow the packet at the head).</summary>
    public int? DataOutSize { get; init; }

    /// <summary>The context (e.g. struct __sk_buff, xdp_md) the program starts with; null = the kernel's default.</summary>
    public byte[]? CtxIn { get; init; }

    /// <summary>Room for the context afterwards; 0 = do not read it back.</summary>
    public int CtxOutSize { get; init; }

    /// <summary>Runs in one call; the duration is the average per run.</summary>
    public uint Repeat { get; init; } = 1;

    public uint Flags { get; init; }
}

/// <summary>BPF_PROG_TEST_RUN's answer: r0, the data and context afterwards, and the kernel's average ns per run.</summary>
public sealed record TestRunResult(uint Retval, byte[] DataOut, byte[] CtxOut, uint DurationNs);

public static unsafe partial class BpfSyscall
{
    /// <summary>Runs the program <paramref name="repeat"/> times over <paramref name="data"/>.</summary>
    public static TestRunResult TestRun(RawBpfFd program, byte[] data, uint repeat = 1) =>
        TestRun(program, new TestRunRequest { DataIn = data, Repeat = repeat });

    public static TestRunResult TestRun(RawBpfFd program, TestRunRequest request)
    {
        byte[] dataIn = request.DataIn ?? System.Array.Empty<byte>();
        byte[] ctxIn = request.CtxIn ?? System.Array.Empty<byte>();
        var dataOut = new byte[request.DataOutSize ?? (request.DataIn is null ? 0 : dataIn.Length + 256)];
        var ctxOut = new byte[request.CtxOutSize];
        byte* attr = stackalloc byte[Native.AttrSize];
        new Span<byte>(attr, Native.AttrSize).Clear();
        fixed (byte* din = dataIn, dout = dataOut, cin = ctxIn, cout = ctxOut)
        {
            *(uint*)(attr + 0) = (uint)program.Value;
            *(uint*)(attr + 8) = (uint)dataIn.Length;
            *(uint*)(attr + 12) = (uint)dataOut.Length;
            // Null pointers where there is nothing: the kernel then skips that copy.
            *(ulong*)(attr + 16) = dataIn.Length == 0 ? 0 : (ulong)din;
            *(ulong*)(attr + 24) = dataOut.Length == 0 ? 0 : (ulong)dout;
            *(uint*)(attr + 32) = request.Repeat;
            *(uint*)(attr + 40) = (uint)ctxIn.Length;
            *(uint*)(attr + 44) = (uint)ctxOut.Length;
            *(ulong*)(attr + 48) = ctxIn.Length == 0 ? 0 : (ulong)cin;
            *(ulong*)(attr + 56) = ctxOut.Length == 0 ? 0 : (ulong)cout;
            *(uint*)(attr + 64) = request.Flags;
            Native.BpfOrThrow(BpfCommand.BPF_PROG_TEST_RUN, attr);
        }
        uint retval = *(uint*)(attr + 4);
        uint dataOutSize = *(uint*)(attr + 12);
        uint duration = *(uint*)(attr + 36);
        uint ctxOutSize = *(uint*)(attr + 44);
        return new TestRunResult(retval, Prefix(dataOut, dataOutSize), Prefix(ctxOut, ctxOutSize), duration);
    }

    private static byte[] Prefix(byte[] buffer, uint length) =>
        buffer.AsSpan(0, (int)Math.Min(length, (uint)buffer.Length)).ToArray();
}
