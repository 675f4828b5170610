using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Analyzers.CodeFixes;

/// <summary>
/// Fixes BPF1002 (a possibly-null map value dereferenced) the two ways the verifier accepts:
/// "return early": <c>if (p == null) return default;</c> right after the statement that set p (the
/// Lookup), so the rest of the method sees p non-null; or "guard": the dereferencing statement wrapped
/// in <c>if (p != null) { … }</c> (not offered for declarations, whose variable would leave scope).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NullCheckCodeFix))]
public sealed class NullCheckCodeFix : CodeFixProvider
{
    public const string ReturnEarlyKey = "BPF1002.ReturnEarly";
    public const string GuardKey = "BPF1002.Guard";
    private const string Indent = "    ";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(BpfDiagnostics.NullableDereference.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (PointerOf(node) is not { } pointer) continue;
            var statement = node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
            if (statement is null) continue;
            string name = pointer.Identifier.ValueText;

            if (AssignmentBefore(statement, name) is { } assignment)
                context.RegisterCodeFix(CodeAction.Create($"Return early when '{name}' is null",
                    ct => ReturnEarly(context.Document, root, assignment, name, ct), ReturnEarlyKey), diagnostic);

            if (statement.Parent is BlockSyntax && statement is not LocalDeclarationStatementSyntax)
                context.RegisterCodeFix(CodeAction.Create($"Only dereference '{name}' when it is not null",
                    ct => Guard(context.Document, root, statement, name, ct), GuardKey), diagnostic);
        }
    }

    /// <summary>The pointer local a reported dereference reads: p in p->f, *p, p[i].</summary>
    private static IdentifierNameSyntax? PointerOf(SyntaxNode node) => node switch
    {
        MemberAccessExpressionSyntax { Expression: var e } => Strip(e) as IdentifierNameSyntax,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PointerIndirectionExpression, Operand: var e } => Strip(e) as IdentifierNameSyntax,
        ElementAccessExpressionSyntax { Expression: var e } => Strip(e) as IdentifierNameSyntax,
        IdentifierNameSyntax id => id,
        ExpressionSyntax e => e.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().FirstOrDefault(),
        _ => null,
    };

    private static ExpressionSyntax Strip(ExpressionSyntax e) => e is ParenthesizedExpressionSyntax p ? Strip(p.Expression) : e;

    /// <summary>The last statement of an enclosing block, before the dereference, that declares or assigns the pointer.</summary>
    private static StatementSyntax? AssignmentBefore(StatementSyntax use, string name)
    {
        for (SyntaxNode current = use; current.Parent is not null; current = current.Parent)
        {
            if (current.Parent is not BlockSyntax block || current is not StatementSyntax inBlock) continue;
            int index = block.Statements.IndexOf(inBlock);
            for (int i = index - 1; i >= 0; i--)
                if (SetsLocal(block.Statements[i], name)) return block.Statements[i];
            if (current.Parent.Parent is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) break;
        }
        return null;
    }

    private static bool SetsLocal(StatementSyntax s, string name) => s switch
    {
        LocalDeclarationStatementSyntax d => d.Declaration.Variables.Any(v => v.Identifier.ValueText == name),
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax id } } =>
            id.Identifier.ValueText == name,
        _ => false,
    };

    private static Task<Document> ReturnEarly(Document document, SyntaxNode root, StatementSyntax assignment, string name, CancellationToken ct)
    {
        string value = ReturnsVoid(assignment) ? "return;" : "return default;";
        var check = SyntaxFactory.ParseStatement($"if ({name} == null) {value}")
            .WithLeadingTrivia(IndentationOf(assignment));
        check = check.WithTrailingTrivia(SyntaxFactory.EndOfLine(NewLineOf(assignment)));
        var block = (BlockSyntax)assignment.Parent!;
        var newBlock = block.WithStatements(block.Statements.Insert(block.Statements.IndexOf(assignment) + 1, check));
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(block, newBlock)));
    }

    private static Task<Document> Guard(Document document, SyntaxNode root, StatementSyntax statement, string name, CancellationToken ct)
    {
        string indent = IndentationOf(statement).ToFullString();
        string newLine = NewLineOf(statement);
        string body = statement.WithoutLeadingTrivia().WithoutTrailingTrivia().ToFullString().Replace(newLine, newLine + Indent);
        string text = $"if ({name} != null){newLine}{indent}{{{newLine}{indent}{Indent}{body}{newLine}{indent}}}";
        var guarded = SyntaxFactory.ParseStatement(text)
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia());
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(statement, guarded)));
    }

    private static bool ReturnsVoid(SyntaxNode node)
    {
        foreach (var a in node.Ancestors())
        {
            switch (a)
            {
                case MethodDeclarationSyntax m: return IsVoid(m.ReturnType);
                case LocalFunctionStatementSyntax f: return IsVoid(f.ReturnType);
            }
        }
        return false;
    }

    private static bool IsVoid(TypeSyntax t) => t is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword };

    /// <summary>The whitespace that starts the statement's line (its indentation).</summary>
    private static SyntaxTriviaList IndentationOf(StatementSyntax s)
    {
        var last = s.GetLeadingTrivia().LastOrDefault();
        return last.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(last) : SyntaxFactory.TriviaList();
    }

    private static string NewLineOf(SyntaxNode s)
    {
        var eol = s.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return eol.IsKind(SyntaxKind.EndOfLineTrivia) ? eol.ToFullString() : "\n";
    }
}
