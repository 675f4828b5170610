using System;
using CSharpBpf.Compiler.Tests.Backend.Kernel;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Execution;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm;

namespace CSharpBpf.Compiler.Tests.Backend;

/// <summary>Somewhere to run an XDP harness program: the kernel (BPF_PROG_TEST_RUN) or the managed VM.</summary>
internal interface IHarnessRunner : IDisposable
{
    /// <summary>Runs with the three inputs in the packet; returns the 64-bit result the program wrote.</summary>
    long Run(long a, long b, long c);
}

public enum RunTarget
{
    Kernel,
    VmInterpreter,
    VmJit,
}

internal static class HarnessRunners
{
    public static IHarnessRunner Load(RunTarget backend, Instruction[] code) => backend switch
    {
        RunTarget.Kernel => new KernelRunner(code),
        RunTarget.VmInterpreter => new VmRunner(code, ExecutionEngine.Interpreter),
        _ => new VmRunner(code, ExecutionEngine.Jit),
    };

    private sealed class KernelRunner : IHarnessRunner
    {
        private readonly KernelProgram _p;
        public KernelRunner(Instruction[] code) => _p = new KernelProgram(code);
        public long Run(long a, long b, long c) => _p.RunForResult(a, b, c);
        public void Dispose() => _p.Dispose();
    }

    private sealed class VmRunner : IHarnessRunner
    {
        private readonly BpfTestHost _host;
        private readonly VmProgram _prog;

        public VmRunner(Instruction[] code, ExecutionEngine engine)
        {
            _host = new BpfTestHost(engine);
            _prog = _host.Load(code, ProgramType.Xdp);
        }

        public long Run(long a, long b, long c)
        {
            var r = _host.RunXdp(_prog, XdpHarness.Packet(a, b, c));
            if (r.Verdict != 2) throw new InvalidOperationException($"the harness program returned {r.Verdict}, not XDP_PASS");
            return BitConverter.ToInt64(r.Packet!, 0);
        }

        public void Dispose() => _host.Dispose();
    }
}
