using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Vm.Tests.KernelAgreement;

/// <summary>
/// For XDP-shaped programs, the VM (both engines) returns what BPF_PROG_TEST_RUN returns and leaves
/// the same packet and map contents. Runs whenever the process may load BPF; skips with the reason otherwise.
/// </summary>
public sealed class XdpKernelAgreementTests
{
    public static IEnumerable<object[]> Programs()
    {
        yield return new object[] { "sum loop" };
        yield return new object[] { "buffer64" };
        yield return new object[] { "checksum" };
        yield return new object[] { "swap macs" };
    }

    private static Instruction[] ProgramNamed(string name) => name switch
    {
        "sum loop" => XdpPrograms.SumLoop(),
        "buffer64" => XdpPrograms.Buffer64(),
        "checksum" => XdpPrograms.Checksum(),
        _ => XdpPrograms.SwapMacs(),
    };

    private static IEnumerable<byte[]> Packets()
    {
        var rng = new Random(7);
        foreach (int len in new[] { 14, 60, 64, 100, 1500 })
        {
            foreach (ushort type in new ushort[] { 0x0800, 0x86dd })
            {
                var p = new byte[len];
                rng.NextBytes(p);
                p[12] = (byte)(type >> 8);
                p[13] = (byte)type;
                yield return p;
            }
        }
    }

    /// <summary>The same instructions the VM runs, loaded through raw bpf(2): this comparison does not go through CSharpBpf.Linux.</summary>
    private static RawBpfFd LoadInKernel(Instruction[] program) =>
        BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.Xdp, InstructionCodec.Encode(program)) { Name = "csbpf_vm_agree" });

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Vm_matches_prog_test_run(string name)
    {
        KernelSkip.UnlessBpfAllowed();
        var program = ProgramNamed(name);
        using var kernelProg = LoadInKernel(program);
        foreach (var packet in Packets())
        {
            var (retval, dataOut, _, _) = BpfSyscall.TestRun(kernelProg, packet);
            foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
            {
                using var host = new BpfTestHost(engine);
                var r = host.RunXdp(host.Load(program, ProgramType.Xdp), (byte[])packet.Clone());
                Assert.True(retval == (uint)r.ReturnValue, $"{name}, {engine}, {packet.Length}-byte packet: kernel {retval}, VM {(uint)r.ReturnValue}");
                Assert.Equal(dataOut, r.Packet);
            }
        }
    }

    [SkippableFact]
    public void Map_contents_match_after_the_same_packets()
    {
        KernelSkip.UnlessBpfAllowed();
        using var kernelMap = BpfSyscall.MapCreate(MapTypes.Array, keySize: 4, valueSize: 8, maxEntries: 4);
        using var kernelProg = LoadInKernel(XdpPrograms.CountByLength(kernelMap.Value));
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var host = new BpfTestHost(engine);
            var counts = host.CreateArray("counts", 8, 4);
            var vmProg = host.Load(XdpPrograms.CountByLength(counts.Fd), ProgramType.Xdp);
            foreach (var packet in Packets())
            {
                Assert.Equal(XdpContext.XdpPass, host.RunXdp(vmProg, packet).Verdict);
                if (engine == ExecutionEngine.Interpreter) Assert.Equal(2u, BpfSyscall.TestRun(kernelProg, packet).Retval);
            }
            for (uint k = 0; k < 4; k++)
                Assert.Equal(BitConverter.ToUInt64(BpfSyscall.MapLookup(kernelMap, BitConverter.GetBytes(k), 8)), counts.GetUInt64(k));
        }
    }
}
