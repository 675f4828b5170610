using System;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;
using RawBpf = CSharpBpf.Compiler.Tests.Backend.Kernel.RawBpf;

namespace CSharpBpf.Compiler.Tests.Differential;

/// <summary>Runs a compiled entry program on one input; the result is the long the entry wrote after the arguments.</summary>
internal interface IProgramRunner : IDisposable
{
    long Run(long[] inputs);
}

/// <summary>The running kernel, through BPF_PROG_LOAD and BPF_PROG_TEST_RUN.</summary>
internal sealed class KernelRunner : IProgramRunner
{
    private readonly int _fd;

    public KernelRunner(Instruction[] code) => _fd = RawBpf.Load(code);

    public long Run(long[] inputs)
    {
        var packet = DifferentialHarness.Packet(inputs);
        var (ret, output) = RawBpf.TestRun(_fd, packet);
        Assert.True(ret == 2, $"the program returned {ret} (XDP_PASS = 2 expected)");
        return BitConverter.ToInt64(output, 8 * inputs.Length);
    }

    public void Dispose() => RawBpf.Close(_fd);
}

/// <summary>The managed VM (CSharpBpf.Vm), interpreter or JIT.</summary>
internal sealed class VmRunner : IProgramRunner
{
    private readonly BpfTestHost _host;
    private readonly VmProgram _program;

    public VmRunner(Instruction[] code, ExecutionEngine engine)
    {
        _host = new BpfTestHost(engine);
        _program = _host.Load(code, ProgramType.Xdp, "Entry");
    }

    public long Run(long[] inputs)
    {
        var result = _host.RunXdp(_program, DifferentialHarness.Packet(inputs));
        Assert.True(result.Verdict == 2, $"the program returned {result.Verdict} (XDP_PASS = 2 expected)");
        return BitConverter.ToInt64(result.Packet!, 8 * inputs.Length);
    }

    public void Dispose() => _host.Dispose();
}
