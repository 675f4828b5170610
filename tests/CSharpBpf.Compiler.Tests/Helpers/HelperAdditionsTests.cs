using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Differential;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Helpers;
using CSharpBpf.Vm.Host;
using Xunit;
using RawBpf = CSharpBpf.Compiler.Tests.Backend.Kernel.RawBpf;

namespace CSharpBpf.Compiler.Tests.Helpers;

/// <summary>
/// Byte order (BinaryPrimitives.ReverseEndianness, Bpf.Htons/Ntohs/Htonl/Ntohl) is one BPF_END each, and
/// Bpf.GetCurrentPidTgid is helper 14 in the compiler, the VM (simulated task) and the kernel.
/// The values themselves are checked against native C# by the differential constructs ReverseEndianness/NetworkOrder.
/// </summary>
public class HelperAdditionsTests
{
    private static Instruction[] CompileXdp(string body)
    {
        var source = TestCompilation.Usings + @"public static unsafe partial class P
{
    [Xdp]
    static int Entry(xdp_md* ctx)
    {
        byte* d = (byte*)ctx->data;
        if (d + 16 > (byte*)ctx->data_end) return 0;
" + body + @"
        return 2;
    }
}";
        return DifferentialHarness.CompileClass("P", ("P.cs", source));
    }

    private static bool IsToBe(Instruction i, int bits) => i.Opcode == (byte)((byte)InstructionClass.Alu | (byte)SourceOperand.X | (byte)AluOp.End) && i.Imm == bits;

    private static bool IsShift(Instruction i) => (i.Opcode & 0x07) is (byte)InstructionClass.Alu or (byte)InstructionClass.Alu64 &&
        (i.Opcode & 0xf0) is (byte)AluOp.Lsh or (byte)AluOp.Rsh or (byte)AluOp.Arsh;

    [Theory]
    [InlineData("*(ushort*)(d + 8) = Bpf.Htons(*(ushort*)d);", 16)]
    [InlineData("*(ushort*)(d + 8) = Bpf.Ntohs(*(ushort*)d);", 16)]
    [InlineData("*(uint*)(d + 8) = Bpf.Htonl(*(uint*)d);", 32)]
    [InlineData("*(uint*)(d + 8) = Bpf.Ntohl(*(uint*)d);", 32)]
    [InlineData("*(ushort*)(d + 8) = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(*(ushort*)d);", 16)]
    [InlineData("*(int*)(d + 8) = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(*(int*)d);", 32)]
    [InlineData("*(ulong*)(d + 8) = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(*(ulong*)d);", 64)]
    public void Byte_swap_is_one_end_instruction(string body, int bits)
    {
        var code = CompileXdp(body);
        Assert.Single(code, i => IsToBe(i, bits));
        Assert.DoesNotContain(code, IsShift);
    }

    [Fact]
    public void Signed_16_bit_swap_keeps_the_sign()
    {
        // short: be16 zero-extends, so the result is sign-extended again (the C# value is negative here)
        using var host = new BpfTestHost();
        var prog = host.Load(CompileXdp("*(long*)(d + 8) = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(*(short*)d);"), ProgramType.Xdp, "Entry");
        var packet = new byte[16];
        packet[0] = 0x12; packet[1] = 0x80; // little-endian 0x8012 -> swapped 0x1280; and 0x0080 -> 0x8000 (negative)
        Assert.Equal(0x1280L, BitConverter.ToInt64(host.RunXdp(prog, packet).Packet!, 8));
        packet[0] = 0x80; packet[1] = 0x00;
        Assert.Equal((long)short.MinValue, BitConverter.ToInt64(host.RunXdp(prog, packet).Packet!, 8));
    }

    private const string PidTgidBody = "*(ulong*)(d + 8) = Bpf.GetCurrentPidTgid();";

    [Fact]
    public void Pid_tgid_is_helper_14()
    {
        var code = CompileXdp(PidTgidBody);
        Assert.Single(code, i => i.Opcode == (byte)((byte)InstructionClass.Jmp | (byte)JmpOp.Call) && i.Src == 0 && i.Imm == 14);
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Vm_reports_the_simulated_task(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var prog = host.Load(CompileXdp(PidTgidBody), ProgramType.Xdp, "Entry");
        Assert.Equal(new SimulatedTask().PidTgid, BitConverter.ToUInt64(host.RunXdp(prog, new byte[16]).Packet!, 8));
        host.Machine.Helpers.CurrentTask = new SimulatedTask { Tgid = 1000, Pid = 1007 };
        Assert.Equal(1000UL << 32 | 1007, BitConverter.ToUInt64(host.RunXdp(prog, new byte[16]).Packet!, 8));
    }

    [SkippableFact]
    public void Kernel_reports_this_thread_like_the_native_api()
    {
        KernelSkip.UnlessBpfAllowed();
        int fd = RawBpf.Load(CompileXdp(PidTgidBody));
        try
        {
            // BPF_PROG_TEST_RUN runs the program in the calling thread's context
            var (ret, data) = RawBpf.TestRun(fd, new byte[16]);
            ulong native = Bpf.GetCurrentPidTgid();
            Assert.Equal(2u, ret);
            ulong kernel = BitConverter.ToUInt64(data, 8);
            Assert.Equal((ulong)Environment.ProcessId, kernel >> 32);
            Assert.Equal(native, kernel);
        }
        finally { RawBpf.Close(fd); }
    }
}
