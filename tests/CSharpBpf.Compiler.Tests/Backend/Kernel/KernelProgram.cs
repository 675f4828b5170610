using System;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Tests.Backend.Kernel;

/// <summary>A loaded program fd, closed on Dispose.</summary>
internal sealed class KernelProgram : IDisposable
{
    private int _fd;

    public KernelProgram(Instruction[] code, int progType = RawBpf.ProgTypeXdp) => _fd = RawBpf.Load(code, progType);

    public (uint ret, byte[] data) Run(byte[] packet) => RawBpf.TestRun(_fd, packet);

    public long RunForResult(long a, long b, long c)
    {
        var (ret, data) = Run(XdpHarness.Packet(a, b, c));
        if (ret != 2) throw new InvalidOperationException($"the harness program returned {ret}, not XDP_PASS");
        return BitConverter.ToInt64(data, 0);
    }

    public void Dispose()
    {
        RawBpf.Close(_fd);
        _fd = -1;
    }
}
