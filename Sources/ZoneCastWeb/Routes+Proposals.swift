import Foundation
import Hummingbird

func addProposalsRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
