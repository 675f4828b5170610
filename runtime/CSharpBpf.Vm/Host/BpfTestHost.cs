using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Execution;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Host;

/// <summary>
/// The xunit-friendly front door: a simulated kernel to create maps and sockets in, load programs
/// (raw instructions or, through the object loader, ELF objects), run them on a context and
/// look at r0, maps and the context afterwards. No root, no kernel, any OS.
/// <code>
/// using var host = new BpfTestHost(ExecutionEngine.Jit);
/// var counts = host.CreateArray("counts", valueSize: 8, maxEntries: 1);
/// var prog = host.Load(instructions, ProgramType.Xdp);
/// var result = host.RunXdp(prog, packet);
/// Assert.Equal(XdpContext.XdpPass, result.Verdict);
/// Assert.Equal(1UL, counts.GetUInt64(0));
/// </code>
/// </summary>
public sealed class BpfTestHost : IDisposable
{
    private readonly Dictionary<string, BpfMap> _maps = new(StringComparer.Ordinal);

    public BpfTestHost(ExecutionEngine engine = ExecutionEngine.Interpreter) => Machine = new BpfMachine(engine);

    public BpfMachine Machine { get; }

    public IReadOnlyDictionary<string, BpfMap> Maps => _maps;

    public BpfMap Map(string name) => _maps.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"no map named '{name}' (maps: {string.Join(", ", _maps.Keys)})");

    public T Map<T>(string name) where T : BpfMap => Map(name) as T
        ?? throw new InvalidCastException($"map '{name}' is a {Map(name).GetType().Name}, not a {typeof(T).Name}");

    // ---------------------------------------------------------------- maps and sockets

    public BpfMap CreateMap(MapSpec spec)
    {
        if (_maps.ContainsKey(spec.Name)) throw new ArgumentException($"a map named '{spec.Name}' exists already");
        var map = BpfMap.Create(Machine, spec);
        _maps[spec.Name] = map;
        return map;
    }

    public ArrayMap CreateArray(string name, int valueSize, int maxEntries, bool perCpu = false) =>
        (ArrayMap)CreateMap(new MapSpec(name, perCpu ? BpfMapType.PercpuArray : BpfMapType.Array, 4, valueSize, maxEntries));

    public HashMap CreateHash(string name, int keySize, int valueSize, int maxEntries, BpfMapType type = BpfMapType.Hash) =>
        (HashMap)CreateMap(new MapSpec(name, type, keySize, valueSize, maxEntries));

    public RingBufMap CreateRingBuf(string name, int size) => (RingBufMap)CreateMap(new MapSpec(name, BpfMapType.Ringbuf, 0, 0, size));

    public ProgArrayMap CreateProgArray(string name, int maxEntries) => (ProgArrayMap)CreateMap(new MapSpec(name, BpfMapType.ProgArray, 4, 4, maxEntries));

    public SkStorageMap CreateSkStorage(string name, int valueSize) => (SkStorageMap)CreateMap(new MapSpec(name, BpfMapType.SkStorage, 4, valueSize, 0));

    public DevmapHashMap CreateDevmapHash(string name, int maxEntries) => (DevmapHashMap)CreateMap(new MapSpec(name, BpfMapType.DevmapHash, 4, 4, maxEntries));

    /// <summary>
    /// A simulated TCP socket (IPv4 by default) with a tcp_sock and a bpf_sock view. The tcp_sock uses the
    /// reference kernel's layout unless <paramref name="tcpLayout"/> is given (e.g. <c>BtfLayouts.FromBtf(obj.Btf, "tcp_sock")</c>).
    /// </summary>
    public SimulatedSocket CreateSocket(ushort family = 2, KernelStructLayout? tcpLayout = null) => new(Machine, family, tcpLayout: tcpLayout);

    // ---------------------------------------------------------------- programs

    /// <summary>
    /// Loads instructions. LD_IMM64 map references resolve by fd (<see cref="BpfMap.Fd"/>) and by
    /// creation order (fd_array index) over the maps created so far.
    /// </summary>
    public VmProgram Load(IReadOnlyList<Instruction> instructions, ProgramType type = ProgramType.Unspecified, string name = "prog")
        => Machine.Load(instructions, type, Machine.ReferencesForAllMaps(), name);

    public VmProgram Load(IReadOnlyList<Instruction> instructions, ProgramType type, ProgramReferences references, string name = "prog")
        => Machine.Load(instructions, type, references, name);

    /// <summary>
    /// Loads a BPF ELF object (clang- or CSharpBpf-built): its maps join <see cref="Maps"/>, its programs
    /// are returned by function name, relocations patched as libbpf would.
    /// </summary>
    public VmObject LoadObject(byte[] elf) => LoadObject(CSharpBpf.Object.Objects.BpfObjectFile.Read(elf));

    public VmObject LoadObject(CSharpBpf.Object.Objects.BpfObjectFile obj)
    {
        if (VerifyObjects)
        {
            var results = CSharpBpf.Verifier.BpfVerifier.VerifyObject(obj);
            LastVerification = results;
            foreach (var result in results)
                if (!result.IsAccepted) throw new BpfProgramRejectedException(result);
        }
        else LastVerification = Array.Empty<CSharpBpf.Verifier.VerificationResult>();
        return ObjectLoader.Load(Machine, obj, CreateMap);
    }

    /// <summary>
    /// Run the managed verifier over every program of an object before loading it (the default), as
    /// the kernel would: a rejected program throws <see cref="BpfProgramRejectedException"/> naming the
    /// instruction and source line. Programs of types the verifier does not model load unverified.
    /// Turn it off to run code the kernel would refuse (e.g. a VM-only fixture); checked mode still
    /// confines every access to its region.
    /// </summary>
    public bool VerifyObjects { get; set; } = true;

    /// <summary>The managed verifier's verdicts (with statistics) for the last object loaded with <see cref="VerifyObjects"/>.</summary>
    public IReadOnlyList<CSharpBpf.Verifier.VerificationResult> LastVerification { get; private set; } = Array.Empty<CSharpBpf.Verifier.VerificationResult>();

    // ---------------------------------------------------------------- running

    public RunResult Run(VmProgram program, ProgramContext context)
    {
        int traceStart = Machine.TraceOutput.Count;
        ulong r0 = program.Run(context);
        return new RunResult(r0, context, Machine.InstructionsExecuted, Machine.TraceOutput.Skip(traceStart).ToList(), Machine.LastRedirect);
    }

    /// <summary>Runs with r1 = <paramref name="r1"/> and no context.</summary>
    public RunResult Run(VmProgram program, ulong r1 = 0)
    {
        int traceStart = Machine.TraceOutput.Count;
        ulong r0 = program.Run(r1);
        return new RunResult(r0, null, Machine.InstructionsExecuted, Machine.TraceOutput.Skip(traceStart).ToList(), Machine.LastRedirect);
    }

    public RunResult RunXdp(VmProgram program, byte[] packet, uint ingressIfindex = 1) => Run(program, new XdpContext(packet, ingressIfindex));

    public RunResult RunSkb(VmProgram program, byte[] packet, SimulatedSocket? socket = null) => Run(program, new SkbContext(packet, socket));

    public RunResult RunSockOps(VmProgram program, SimulatedSocket socket, uint op, params uint[] args) => Run(program, new SockOpsContext(socket, op, args));

    public RunResult RunSysctl(VmProgram program, string name, string currentValue, string? newValue = null) =>
        Run(program, new SysctlContext(name, currentValue, newValue));

    /// <summary>Runs a struct_ops/raw_tp/tp_btf program with u64 arguments (pointers as simulated-object addresses).</summary>
    public RunResult RunWithArgs(VmProgram program, params ulong[] args) => Run(program, new ArgumentsContext(args));

    public void Dispose() => Machine.Dispose();
}
