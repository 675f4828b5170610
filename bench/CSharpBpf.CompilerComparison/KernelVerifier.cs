using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Linux;
using CSharpBpf.Linux.Loader;

namespace CSharpBpf.CompilerComparison;

/// <summary>What the running kernel's verifier says about one program: "processed N insns", or why there is no number.</summary>
/// <remarks><paramref name="Returns"/>: the program's return value on each <see cref="PacketCorpus"/> frame (BPF_PROG_TEST_RUN), or null;
/// <paramref name="Maps"/>: each map's contents after that run (see <see cref="Snapshot"/>); <paramref name="FromProgInfo"/>:
/// the count is bpf_prog_info.verified_insns of the loader's load (the stats replay was not possible).</remarks>
public sealed record VerifierResult(int? ProcessedInsns, string? Reason, string? StatsLine, IReadOnlyList<uint>? Returns = null,
    IReadOnlyDictionary<string, string>? Maps = null, bool FromProgInfo = false)
{
    public static VerifierResult Unavailable(string reason) => new(null, reason, null);
}

/// <summary>
/// Loads an object with CSharpBpf.Linux's loader (maps created, relocations and BTF applied, as
/// libbpf would), then asks the verifier for its statistics on the named program (see <see cref="StatsLoad"/>).
/// The stats line's count is cross-checked with bpf_prog_info.verified_insns of the loader's own load.
/// </summary>
public static partial class KernelVerifier
{
    private const int VerifiedInsnsOffset = 216; // bpf_prog_info.verified_insns (Linux 5.16+)

    /// <summary>Null when this process may load BPF; otherwise the reason every kernel column shows "-".</summary>
    public static string? WhyNoKernel()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSBPF_NO_KERNEL") == "1") return "CSBPF_NO_KERNEL=1";
        if (!File.Exists("/sys/kernel/btf/vmlinux")) return "no kernel BTF at /sys/kernel/btf/vmlinux";
        return null;
    }

    public static VerifierResult Measure(byte[] elf, string objectName, string program)
    {
        BpfObject obj;
        try
        {
            obj = BpfObject.Load(ObjectSpec.Read(elf, objectName));
        }
        catch (BpfProgramLoadException e)
        {
            return VerifierResult.Unavailable($"the kernel refused it ({e.ErrnoName}): {LastLine(e.VerifierLog)}");
        }
        catch (BpfException e)
        {
            return VerifierResult.Unavailable(FirstLine(e.Message));
        }
        using (obj)
        {
            var prog = obj.Program(program);
            var linked = obj.Linked[program];
            uint verified = BitConverter.ToUInt32(prog.Info(), VerifiedInsnsOffset);
            byte[]? funcInfo = linked.FuncInfos.Count == 0 ? null : linked.FuncInfos.OrderBy(f => f.Index)
                .SelectMany(f => BitConverter.GetBytes((uint)f.Index).Concat(BitConverter.GetBytes(f.Record.TypeId))).ToArray();
            string log;
            try
            {
                log = StatsLoad.Load((uint)prog.Type, (uint)prog.ExpectedAttachType, linked.Instructions,
                    obj.Spec.License.Length > 0 ? obj.Spec.License : "GPL", obj.BtfFd?.Value ?? 0, funcInfo);
            }
            catch (InvalidOperationException e) when (verified != 0)
            {
                // The replay lacks what only the loader knows for some kinds (struct_ops: the ops type and
                // member as attach target). The loader's own load counted the same thing: use that.
                var returns0 = RunCorpus(prog);
                return new VerifierResult((int)verified, null, "verified_insns " + verified + " (" + FirstLine(e.Message) + ")",
                    returns0, returns0 is null ? null : Snapshot(obj), FromProgInfo: true);
            }
            catch (InvalidOperationException e)
            {
                return VerifierResult.Unavailable(FirstLine(e.Message));
            }
            string? line = log.Split('\n').LastOrDefault(l => l.StartsWith("processed ", StringComparison.Ordinal));
            var m = line is null ? null : Processed().Match(line);
            if (m is null || !m.Success) return VerifierResult.Unavailable("no \"processed N insns\" line in the stats log: " + LastLine(log));
            int processed = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (verified != 0 && verified != processed)
                Console.Error.WriteLine($"warning: {objectName}/{program}: stats log says {processed}, bpf_prog_info.verified_insns says {verified}");
            var returns = RunCorpus(prog);
            return new VerifierResult(processed, null, line, returns, returns is null ? null : Snapshot(obj));
        }
    }

    /// <summary>Return values on the packet corpus; null when this program type has no test_run here.</summary>
    private static IReadOnlyList<uint>? RunCorpus(CSharpBpf.Linux.Programs.BpfProgram prog)
    {
        var returns = new List<uint>();
        try
        {
            foreach (var frame in PacketCorpus.Frames) returns.Add(prog.TestRun(frame).ReturnValue);
        }
        catch (BpfSyscallException)
        {
            return null;
        }
        return returns;
    }

    /// <summary>
    /// The user maps' contents as text. Array maps: index → value. Hash maps: the sorted values only, as
    /// their keys may be per-run (each test_run packet gets a fresh socket, so a fresh cookie).
    /// </summary>
    private static Dictionary<string, string> Snapshot(BpfObject obj)
    {
        var state = new Dictionary<string, string>();
        foreach (var (name, map) in obj.Maps)
        {
            if (name.StartsWith('.')) continue;
            var entries = map.Keys().Select(k => (Key: Convert.ToHexString(k), Value: Convert.ToHexString(map.Lookup(k) ?? Array.Empty<byte>())));
            state[name] = map.Type is CSharpBpf.Linux.Maps.BpfMapType.Array or CSharpBpf.Linux.Maps.BpfMapType.PercpuArray
                ? string.Join(" ", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + e.Value))
                : string.Join(" ", entries.Select(e => e.Value).OrderBy(v => v, StringComparer.Ordinal));
        }
        return state;
    }

    [GeneratedRegex(@"^processed (\d+) insns")]
    private static partial Regex Processed();

    private static string FirstLine(string s) => s.Split('\n')[0];

    private static string LastLine(string s) => s.TrimEnd('\n').Split('\n').LastOrDefault() ?? "";
}
