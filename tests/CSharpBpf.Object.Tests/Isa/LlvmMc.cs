using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Object.Tests.Isa;

/// <summary>
/// Runs llvm-mc-22 as the reference disassembler when it is installed (it shares llvm-objdump's
/// instruction printer; --print-imm-hex gives objdump's hex immediates). Tests compare against it
/// live and keep its answers as goldens so they also run where LLVM is absent.
/// </summary>
internal static class LlvmMc
{
    const string Tool = "llvm-mc-22";

    public static bool Available { get; } = Probe();

    static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_LLVM") == "1") return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Tool, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (p is null) return false;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Disassembles each encoding (8 or 16 bytes) on its own; the answer per encoding is llvm's text
    /// with runs of whitespace made single spaces, or "&lt;invalid&gt;" when llvm refuses it.
    /// Batched: llvm-mc skips 8 bytes per refused slot and names its line, so answers line up; a
    /// batch that does not line up is re-run one encoding at a time.
    /// </summary>
    public static List<string> Disassemble(IReadOnlyList<byte[]> encodings)
    {
        var result = new List<string>(encodings.Count);
        const int batch = 2000;
        for (int i = 0; i < encodings.Count; i += batch)
            result.AddRange(Solve(encodings.Skip(i).Take(batch).ToList()));
        return result;
    }

    /// <summary>A batch that does not line up is split in halves until the culprit runs alone.</summary>
    static List<string> Solve(List<byte[]> chunk)
    {
        var answers = TryBatch(chunk);
        if (answers != null) return answers;
        if (chunk.Count == 1) return new List<string> { "<invalid>" };
        int half = chunk.Count / 2;
        var left = Solve(chunk.Take(half).ToList());
        left.AddRange(Solve(chunk.Skip(half).ToList()));
        return left;
    }

    static List<string>? TryBatch(List<byte[]> chunk)
    {
        var input = new StringBuilder();
        foreach (var e in chunk)
            input.Append(string.Join(" ", e.Select(b => "0x" + b.ToString("x2")))).Append('\n');
        var psi = new ProcessStartInfo(Tool, "--disassemble -triple=bpfel -mcpu=v4 --print-imm-hex")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(input.ToString());
        p.StandardInput.Close();
        string stdout = stdoutTask.Result, stderr = stderrTask.Result;
        p.WaitForExit();

        var texts = stdout.Split('\n').Select(s => s.Trim()).Where(s => s.Length > 0 && !s.StartsWith(".text", StringComparison.Ordinal)).ToList();
        var bad = new HashSet<int>();
        foreach (Match m in Regex.Matches(stderr, @"<stdin>:(\d+):(\d+): warning"))
        {
            int line = int.Parse(m.Groups[1].Value);
            // Column 41 is the second slot of a refused 16-byte line, which llvm then tries on its
            // own; any other column means the answers no longer line up.
            if (m.Groups[2].Value != "1" && !(m.Groups[2].Value == "41" && chunk[line - 1].Length == 16)) return null;
            bad.Add(line);
        }
        if (texts.Count + bad.Count != chunk.Count) return null;
        var answers = new List<string>(chunk.Count);
        int next = 0;
        for (int line = 1; line <= chunk.Count; line++)
            answers.Add(bad.Contains(line) ? "<invalid>" : Normalize(texts[next++]));
        return answers;
    }

    public static string Normalize(string text) => Regex.Replace(text.Trim(), @"\s+", " ");

    public static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));

    public static byte[] Encode(Instruction[] slots) => InstructionCodec.Encode(slots);
}
