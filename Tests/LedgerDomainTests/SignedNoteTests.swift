import Foundation
import LedgerDomain
import Testing

/// Signer and verifier keys and signed notes, checked against the example of Go's
/// `golang.org/x/mod/sumdb/note` (its documentation's key, text and signature).
@Suite struct SignedNoteTests {
    static let signerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let verifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let text =
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let signatureLine =
        "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    @Test func theGoExampleKeyAndSignatureAreReproducedByteForByte() throws {
        let signer = try NoteSigner(text: Self.signerKey)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.text == Self.signerKey)
        #expect(signer.verifier.text == Self.verifierKey)
        #expect(try signer.signatureLine(for: Self.text) == Self.signatureLine)
    }

    @Test func theGoExampleNoteVerifiesAndATamperedOneDoesNot() throws {
        let verifier = try NoteVerifier(text: Self.verifierKey)
        let note = try SignedNote(Self.text + "\n" + Self.signatureLine)
        #expect(note.text == Self.text)
        #expect(verifier.verifies(note))
        #expect(
            !verifier.verifies(
                try SignedNote(Self.text.replacingOccurrences(of: "answer", with: "Answer") + "\n" + Self.signatureLine)
            ))
        let other = try NoteSigner.generate(name: "PeterNeumann").verifier
        #expect(!other.verifies(note))
        // A note with no signature is not verified by any key.
        #expect(!verifier.verifies(try SignedNote(Self.text)))
    }

    @Test func aNewKeyRoundTripsThroughItsTextForms() throws {
        let signer = try NoteSigner.generate(name: "example.org/ledger")
        let again = try NoteSigner(text: signer.text + "\n")
        #expect(again.verifier.text == signer.verifier.text)
        let line = try again.signatureLine(for: "a\nb\n")
        #expect(try NoteVerifier(text: signer.verifier.text).verifies(try SignedNote("a\nb\n\n" + line)))
    }

    @Test(arguments: [
        "", "PeterNeumann+c74f20a3", "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpcAA==", "PeterNeumann+c74f20a3+not base64",
    ])
    func malformedVerifierKeysAreRefused(text: String) {
        #expect(throws: NoteKeyError.self) { try NoteVerifier(text: text) }
    }

    @Test(arguments: [
        "", "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PUBLIC+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEK", verifierKey,
    ])
    func malformedSignerKeysAreRefused(text: String) {
        #expect(throws: NoteKeyError.self) { try NoteSigner(text: text) }
    }

    @Test(arguments: ["no newline", "a\n\n", "a\n\nnot a signature\n", "a\n\n\u{2014} name !!!\n"])
    func malformedNotesAreRefused(note: String) {
        #expect(throws: SignedNote.FormatError.self) { try SignedNote(note) }
    }
}
