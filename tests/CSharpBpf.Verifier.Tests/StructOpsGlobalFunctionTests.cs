using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// A tcp_congestion_ops program handing its socket to a global function declared <c>int gfn(struct sock *sk)</c>:
/// the kernel types that parameter as plain memory of sizeof(struct sock) (no arg:trusted tag); a kernel pointer
/// (PTR_TO_BTF_ID) passes as memory it may read when the bytes lie inside its struct (check_helper_mem_access →
/// check_ptr_to_btf_access, a read), so the socket itself is accepted, the socket moved near its end is not, and a
/// stack buffer is accepted. Both verifiers must say so (tcp_sock's size comes from vmlinux).
/// </summary>
public class StructOpsGlobalFunctionTests
{
    private readonly ITestOutputHelper _output;

    public StructOpsGlobalFunctionTests(ITestOutputHelper output) => _output = output;

    private const string PassSocket = @"
        r1 = *(u64 *)(r1 + 0)
        call gfn
        r0 = 0
        exit
gfn:
        r0 = 0
        exit";

    private static string PassSocketNearItsEnd => $@"
        r1 = *(u64 *)(r1 + 0)
        r1 += {TcpSockSize - 4}
        call gfn
        r0 = 0
        exit
gfn:
        r0 = 0
        exit";

    private static int TcpSockSize => TcpCaWrites.HaveVmlinux ? (int)TcpCaWrites.TcpSock.Size : 2304;

    private const string PassStackBuffer = @"
        r1 = 0
        *(u64 *)(r10 - 8) = r1
        r1 = r10
        r1 += -8
        call gfn
        r0 = 0
        exit
gfn:
        r0 = 0
        exit";

    private static (Btf Btf, uint Prog, uint Gfn, uint LocalTcpSock) BuildBtf()
    {
        var btf = new Btf();
        var i32 = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        var u64 = btf.AddInt("unsigned long long", 8, BtfIntEncoding.None);
        var sock = btf.AddStruct("sock", 8);
        sock.AddMember("a", u64.Id, 0);
        var sockPtr = btf.AddPtr(sock.Id);
        var tcp = btf.AddStruct("tcp_sock", 8);
        tcp.AddMember("sk", sock.Id, 0);
        var ctxPtr = btf.AddPtr(u64.Id);
        var mainProto = btf.AddFuncProto(0);
        mainProto.AddParameter("ctx", ctxPtr.Id);
        var prog = btf.AddFunc("init", mainProto.Id, BtfFuncLinkage.Global);
        var proto = btf.AddFuncProto(i32.Id);
        proto.AddParameter("sk", sockPtr.Id);
        var gfn = btf.AddFunc("gfn", proto.Id, BtfFuncLinkage.Global);
        return (btf, prog.Id, gfn.Id, tcp.Id);
    }

    private static (Instruction[] Code, Btf Btf, uint Prog, uint Gfn, uint Tcp, int GfnStart) Build(string what)
    {
        var code = Assembler.Assemble(what switch { "socket" => PassSocket, "socket_near_its_end" => PassSocketNearItsEnd, _ => PassStackBuffer });
        var (btf, prog, gfn, tcp) = BuildBtf();
        return (code, btf, prog, gfn, tcp, code.Length - 2);
    }

    [Theory]
    [InlineData("socket", true)]
    [InlineData("socket_near_its_end", false)]
    [InlineData("stack_buffer", true)]
    public void Managed_verifier_gives_the_kernels_verdict(string what, bool kernelAccepts)
    {
        var (code, btf, prog, gfn, tcp, gfnStart) = Build(what);
        var spec = new VerifierProgramSpec(VerifierProgramType.StructOps)
        {
            Btf = btf,
            Arguments = new[] { new ContextArgument("sk", true, tcp, "tcp_sock", TcpSockSize) },
            AllowBtfStores = true,
            StructOpsType = "tcp_congestion_ops",
            FunctionInfo = new[] { new FunctionInfoRecord(0, prog), new FunctionInfoRecord(gfnStart, gfn) },
        };
        var ours = BpfVerifier.Verify(code, spec);
        _output.WriteLine(string.Join("\n", ours.Errors.Select(e => $"{e.InstructionIndex} {e.Code}: {e.Message}")));
        Assert.Equal(kernelAccepts, ours.IsAccepted);
    }

    [SkippableTheory]
    [InlineData("socket", true)]
    [InlineData("socket_near_its_end", false)]
    [InlineData("stack_buffer", true)]
    public void Kernel_gives_the_recorded_verdict(string what, bool kernelAccepts)
    {
        KernelSkip.UnlessBpfAllowed();
        var (code, btf, prog, gfn, _, gfnStart) = Build(what);
        var ops = TcpCaWrites.Vmlinux.Find<BtfStruct>("tcp_congestion_ops")!;
        var kernel = BtfKernelLoader.Load(code, 27, btf, new[] { 0u, prog, (uint)gfnStart, gfn },
            expectedAttachType: (uint)ops.Members.FindIndex(m => m.Name == "init"), attachBtfId: ops.Id);
        _output.WriteLine(kernel.Log);
        Assert.True(kernelAccepts == kernel.Accepted, kernel.Log);
    }
}
